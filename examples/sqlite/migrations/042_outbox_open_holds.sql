-- Open holds found through an index instead of a scan of the whole queue.
-- Sent items stay in the outbox, so a lane's Refresh, which leaves the
-- wallets and codes with a hold still open on the lane as the lane has
-- them, read every item ever queued to find the few open holds. Now an
-- item that opens a hold (Outbox.EnqueueMarked with HoldMark.Opens) has
-- hold_open 1 until an item closing it (HoldMark.Closes: the opening
-- item's key) is queued, and the partial index outbox_open_holds holds
-- exactly the open ones; Discard of a closing item opens the hold again.
-- hold_open is NULL on items that open nothing.
ALTER TABLE outbox ADD COLUMN closes TEXT;
ALTER TABLE outbox ADD COLUMN hold_open INTEGER;
CREATE INDEX outbox_open_holds ON outbox (seq) WHERE hold_open = 1;
CREATE INDEX outbox_closes ON outbox (closes) WHERE closes IS NOT NULL;

-- A lane's queue written before this migration: its kinds and keys are
-- the lane package's (examples/sqlite/lane): a stored-value hold is queued
-- as kind svhold under "svpay:<ID>" and settled by svcommit or svrelease,
-- whose payload names it as holdId; a coupon hold is kind cphold under
-- "cphold:<ID>", closed by cpcommit or cprelease the same way. The payload
-- is JSON text kept as a BLOB, which json_extract would read as JSONB,
-- hence the casts.
UPDATE outbox SET closes = CASE
        WHEN kind IN ('svcommit', 'svrelease') THEN 'svpay:' || json_extract(CAST(payload AS TEXT), '$.holdId')
        ELSE 'cphold:' || json_extract(CAST(payload AS TEXT), '$.holdId') END
    WHERE kind IN ('svcommit', 'svrelease', 'cpcommit', 'cprelease');
UPDATE outbox SET hold_open = NOT EXISTS (SELECT 1 FROM outbox c WHERE c.closes = outbox.key)
    WHERE kind IN ('svhold', 'cphold');
