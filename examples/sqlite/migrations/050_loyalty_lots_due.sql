-- The instant the expiry run next has work in an open lot, as a column
-- (VIRTUAL: computed when read, so existing rows need no rewrite): an
-- expiring lot's expiry, an unreleased lot's release, the earlier when it
-- has both, and NULL when it has neither (SQLite's min() of several values
-- is NULL if one is, hence the largest integer for "never" inside it).
-- The index holds the open lots with something due, across members, for
-- loyalty.DueFinder; a released lot that never expires stays out of it.
-- DueAccounts' query (loyalty_due.go) repeats the predicate word for word,
-- which the planner needs to use the partial index.
ALTER TABLE loyalty_lots ADD COLUMN due_at INTEGER
    GENERATED ALWAYS AS (nullif(min(coalesce(expires_at, 9223372036854775807),
        CASE WHEN released THEN 9223372036854775807 ELSE pending_until END), 9223372036854775807)) VIRTUAL;
CREATE INDEX loyalty_lots_due ON loyalty_lots (due_at, member_id)
    WHERE remaining > 0 AND due_at IS NOT NULL;
