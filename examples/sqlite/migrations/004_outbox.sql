-- The lane's durable outbound queue: every fact the lane records while the
-- central services may be unreachable, in the order it was recorded. A
-- row is written before the fact is applied to the lane's own stores
-- (applied_at), and marked sent (sent_at, outcome) once the central
-- services took it, so a crash at any point leaves a row to finish. Keys
-- ("purchase:<ID>", "return:<ID>") make enqueueing idempotent.
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    payload     BLOB NOT NULL,
    enqueued_at INTEGER NOT NULL,
    applied_at  INTEGER,
    sent_at     INTEGER,
    outcome     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX outbox_unapplied ON outbox (seq) WHERE applied_at IS NULL;
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
