-- Stored resource records of every zone. Synthesised data (apex SOA/NS, discovery SRVs,
-- the server's address) is never stored. RDATA is the uncompressed canonical wire form
-- (RFC 4034 §6.2), so the unique key matches DNS's notion of "the same RR"
-- (RFC 2136 §1.1.1: names compare case-insensitively).

CREATE TABLE records (
    id            bigserial PRIMARY KEY,
    zone_id       bigint NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
    owner         text NOT NULL CHECK (owner = lower(owner) AND owner LIKE '%.'),
    rtype         integer NOT NULL CHECK (rtype BETWEEN 0 AND 65535),
    rclass        integer NOT NULL CHECK (rclass BETWEEN 0 AND 65535),
    ttl           bigint NOT NULL CHECK (ttl >= 0 AND ttl < 4294967296),
    rdata         bytea NOT NULL,
    -- RFC 9664 update lease: NULL means permanent (admin CLI, bulk import).
    lease_expires timestamptz,
    -- The TSIG key name (or 'import', 'cli') that wrote the record.
    written_by    text NOT NULL,
    UNIQUE (zone_id, owner, rtype, rdata)
);

CREATE INDEX records_zone_id ON records (zone_id);
-- What the lease reaper scans.
CREATE INDEX records_lease_expires ON records (lease_expires) WHERE lease_expires IS NOT NULL;
