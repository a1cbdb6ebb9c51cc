-- Per-host keys. A member's hosts (RFC 6281 §4.3: each registers its own names in the member
-- zone) may each get a TSIG key of their own, so that one lost laptop's key can be revoked alone
-- and can never have written more than that laptop's names.
--
-- tsig_keys.host names the host a key belongs to (its member is member_id); NULL for member and
-- operator keys. The grant scope 'host' is an 'update' grant on one member zone restricted to the
-- names of key_grants.host (the ownership rule of the protocol module's HostNames); a host key
-- also gets a plain 'read' grant on the whole member zone, for queries and LLQ.

ALTER TABLE tsig_keys
    -- One DNS label, lower case, like members.name (never an underscore label).
    ADD COLUMN host text CHECK (host ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    ADD CONSTRAINT tsig_keys_host_has_member CHECK (host IS NULL OR member_id IS NOT NULL);

-- One key per host of a member; removing the member removes its host keys (ON DELETE CASCADE).
CREATE UNIQUE INDEX tsig_keys_member_host ON tsig_keys (member_id, host) WHERE host IS NOT NULL;

ALTER TABLE key_grants
    ADD COLUMN host text CHECK (host ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    DROP CONSTRAINT key_grants_scope_check,
    ADD CONSTRAINT key_grants_scope_check CHECK (scope IN ('zone', 'members', 'host')),
    -- 'host' grants, and only they, name a host; they restrict updates, so they are 'update'.
    ADD CONSTRAINT key_grants_host_scope CHECK (
        (scope = 'host') = (host IS NOT NULL) AND (scope <> 'host' OR permission = 'update'));
