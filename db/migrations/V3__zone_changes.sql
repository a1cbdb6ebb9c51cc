-- The journal: one row per content commit of a zone (Knot's journal, style.md §9.5). The
-- change feed and, later, IXFR read it by serial. Rows outlive their zone (no foreign key):
-- a member's removal is itself journaled, and replicas must learn of it.

CREATE TABLE zone_changes (
    -- Unique across the database (drawn from zone_generation), see V1.
    generation bigint PRIMARY KEY,
    zone_id    bigint NOT NULL,
    apex       text NOT NULL,
    -- The serial after this change.
    serial     bigint NOT NULL,
    -- 'create', 'update', 'expire', 'import' or 'remove'.
    kind       text NOT NULL CHECK (kind IN ('create', 'update', 'expire', 'import', 'remove')),
    -- Removed and added RRs, one per line in master-file format with absolute names.
    removed    text NOT NULL DEFAULT '',
    added      text NOT NULL DEFAULT '',
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX zone_changes_zone_serial ON zone_changes (zone_id, serial);
CREATE INDEX zone_changes_apex ON zone_changes (apex, generation);
