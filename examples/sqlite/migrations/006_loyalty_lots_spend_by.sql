-- The spending order's first key as a column, as sv_parts has it
-- (migration 010): expires_at with "never" as the largest integer. The
-- index held the expression coalesce(expires_at, ...), and SQLite seeks
-- on a row value of index columns only, so a page of SpendingLots after
-- the first searched from the member's first open lot and filtered the
-- lots before the page (EXPLAIN QUERY PLAN: member_id=? alone) - a
-- redemption drawing on many lots read them over and over. With the
-- column the page seeks past the last lot it read. A VIRTUAL column is
-- computed when read, so existing rows need no rewrite; the index is
-- rebuilt from them.
ALTER TABLE loyalty_lots ADD COLUMN spend_by INTEGER NOT NULL
    GENERATED ALWAYS AS (coalesce(expires_at, 9223372036854775807)) VIRTUAL;
DROP INDEX loyalty_lots_spending;
CREATE INDEX loyalty_lots_spending ON loyalty_lots (member_id, spend_by, earned_at, lot_id)
    WHERE remaining > 0;
