-- Members and their zones (design.md §1, §3). One zone per member, plus the members domain
-- zone itself (member_id NULL). Names are stored in canonical lower case with the trailing
-- dot, so comparisons are plain text equality (style.md §9.5, PowerDNS c_lowercase_name).

CREATE TABLE members (
    id         bigserial PRIMARY KEY,
    -- One DNS label (RFC 1035 §2.3.1 letters, digits, hyphen), lower case.
    name       text NOT NULL UNIQUE
               CHECK (name ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Every commit to any zone takes its generation from this one sequence: generations are
-- unique across the database and increase per zone in commit order (the zone row is locked
-- when the number is drawn), so a zone removed and created again never repeats one.
CREATE SEQUENCE zone_generation;

CREATE TABLE zones (
    id         bigserial PRIMARY KEY,
    apex       text NOT NULL UNIQUE
               CHECK (apex = lower(apex) AND apex LIKE '%.'),
    member_id  bigint REFERENCES members (id) ON DELETE CASCADE,
    -- SOA serial, a 32-bit RFC 1982 value.
    serial     bigint NOT NULL CHECK (serial >= 0 AND serial < 4294967296),
    -- Bumped on every commit, lease-only refreshes included; replicas compare it.
    generation bigint NOT NULL DEFAULT nextval('zone_generation'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX zones_member_id ON zones (member_id) WHERE member_id IS NOT NULL;
