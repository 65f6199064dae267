-- Points expiry took from a lot that no return has claimed since, and the
-- instant they lapsed (ledger.Lot.Lapsed, LapsedAt): a return dated before
-- that instant which syncs after the expiry run claws them back from the
-- lot, as it would have had it come in time. Lots written before this
-- column existed read as nothing lapsed: such a late return then takes
-- from the member's other lots, as it did before.
ALTER TABLE loyalty_lots
    ADD COLUMN lapsed bigint NOT NULL DEFAULT 0 CHECK (lapsed >= 0 AND lapsed <= amount - remaining),
    ADD COLUMN lapsed_at timestamptz;
