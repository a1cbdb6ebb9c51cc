-- TSIG keys (RFC 8945) and what they may do. Grants are data, never code: enrolment writes
-- 'update' + 'read' on the member's own zone; operators may add wider ones.

CREATE TABLE tsig_keys (
    id         bigserial PRIMARY KEY,
    -- Absolute key name in lower case, e.g. 'alice.key.members.example.'.
    name       text NOT NULL UNIQUE CHECK (name = lower(name) AND name LIKE '%.'),
    -- dnsjava's algorithm names (RFC 8945 §6).
    algorithm  text NOT NULL CHECK (algorithm IN (
                   'hmac-md5.sig-alg.reg.int.', 'hmac-sha1.', 'hmac-sha224.',
                   'hmac-sha256.', 'hmac-sha384.', 'hmac-sha512.')),
    secret     bytea NOT NULL,
    -- NULL for operator keys that belong to no member.
    member_id  bigint REFERENCES members (id) ON DELETE CASCADE,
    -- When the secret was derived from a password: the KDF and its parameters.
    kdf        text CHECK (kdf IS NULL OR kdf = 'pbkdf2-hmac-sha256'),
    salt       bytea,
    iterations integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((kdf IS NULL) = (salt IS NULL) AND (kdf IS NULL) = (iterations IS NULL))
);

CREATE INDEX tsig_keys_member_id ON tsig_keys (member_id);

CREATE TABLE key_grants (
    id           bigserial PRIMARY KEY,
    key_id       bigint NOT NULL REFERENCES tsig_keys (id) ON DELETE CASCADE,
    -- A zone apex (canonical, trailing dot). With scope 'members' it is the members domain.
    zone_pattern text NOT NULL CHECK (zone_pattern = lower(zone_pattern) AND zone_pattern LIKE '%.'),
    -- 'zone': exactly that zone; 'members': every member zone under the domain.
    scope        text NOT NULL CHECK (scope IN ('zone', 'members')),
    permission   text NOT NULL CHECK (permission IN ('update', 'read')),
    UNIQUE (key_id, zone_pattern, scope, permission)
);
