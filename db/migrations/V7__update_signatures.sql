-- Replay protection of signed UPDATEs. RFC 8945 §5.2.3 accepts a request again for as long as its
-- Time Signed is within its Fudge of the server's clock, and a changed message ID does not break
-- the MAC (§4.3.1: the Original ID is digested instead), so a captured update could be applied
-- again. Every verified update the writers evaluate records its signature here, in the same
-- transaction as its commit; the primary key refuses the second use on every server process that
-- shares this database (INSERT ... ON CONFLICT DO NOTHING: the other updates of the group commit).
--
-- A row is needed until its signature no longer verifies (expires = Time Signed + Fudge, the
-- client's fudge, as the verifier uses it), and is pruned some time after that.

CREATE TABLE update_signatures (
    key_name    text        NOT NULL,  -- canonical, absolute, like tsig_keys.name
    time_signed timestamptz NOT NULL,
    mac         bytea       NOT NULL,
    expires     timestamptz NOT NULL,
    PRIMARY KEY (key_name, time_signed, mac)
);

CREATE INDEX update_signatures_expires ON update_signatures (expires);
