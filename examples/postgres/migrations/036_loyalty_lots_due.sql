-- Open lots by the instant the expiry run next has work in them, across
-- members, for loyalty.DueFinder: an expiring lot at its expiry, an
-- unreleased one at its release (the earlier of the two when it has both).
-- A lot that never expires and is released has nothing due and stays out
-- of the index, so a programme without expiry pays nothing for it. The
-- expression and predicate are repeated word for word in DueAccounts'
-- query (loyalty_due.go), which the planner needs to use the index.
CREATE INDEX loyalty_lots_due ON loyalty_lots
    ((LEAST(expires_at, CASE WHEN released THEN NULL ELSE pending_until END)), member_id)
    WHERE remaining > 0 AND (expires_at IS NOT NULL OR NOT released);
