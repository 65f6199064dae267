-- Points expiry took from a lot that no return has claimed since, and the
-- instant they lapsed in Unix microseconds (ledger.Lot.Lapsed, LapsedAt):
-- a return dated before that instant which syncs after the expiry run
-- claws them back from the lot, as it would have had it come in time.
-- Lots written before these columns existed read as nothing lapsed.
ALTER TABLE loyalty_lots ADD COLUMN lapsed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE loyalty_lots ADD COLUMN lapsed_at INTEGER;
