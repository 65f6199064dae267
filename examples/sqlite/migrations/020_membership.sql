-- membership.Store (issue 16), the bounded-cost contract: a small
-- versioned card per member and one row per term bought, keyed by member
-- and the payment's ID, so buying, renewing or refunding reads and writes
-- one card row and one term row. Times are INTEGER microseconds since the
-- Unix epoch, UTC (Go's zero time where unset); IDs compare byte-wise.
CREATE TABLE membership_cards (
    member_id     TEXT PRIMARY KEY,
    version       INTEGER NOT NULL CHECK (version >= 1),
    latest        TEXT NOT NULL,
    latest_plan   TEXT NOT NULL,
    latest_start  INTEGER NOT NULL,
    previous_plan TEXT NOT NULL,
    until         INTEGER NOT NULL,
    terms         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE membership_terms (
    member_id      TEXT NOT NULL REFERENCES membership_cards (member_id),
    term_id        TEXT NOT NULL,
    plan_id        TEXT NOT NULL,
    currency       TEXT NOT NULL,
    fee_minor      INTEGER NOT NULL,
    paid_at        INTEGER NOT NULL,
    starts_at      INTEGER NOT NULL,
    ends_at        INTEGER NOT NULL,
    refund_id      TEXT NOT NULL,
    refunded_at    INTEGER NOT NULL,
    refund_minor   INTEGER NOT NULL,
    benefits_minor INTEGER NOT NULL,
    coupon_months  INTEGER NOT NULL,
    PRIMARY KEY (member_id, term_id)
) STRICT, WITHOUT ROWID;
