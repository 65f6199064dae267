-- loyalty.Store on the bounded-cost contract: a small versioned account
-- header beside a row per lot, a row per keyed record, append-only ledger
-- entries and idempotency records, so an operation reads and writes the
-- rows it touches, never the member's history.
CREATE TABLE loyalty_accounts (
    member_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL CHECK (version >= 1),
    header    TEXT NOT NULL, -- ledger.Header as JSON
    state     TEXT NOT NULL  -- tier, activity, purchases, merge state
) STRICT;

-- Entries are only ever inserted; the key is the account's entry sequence.
CREATE TABLE loyalty_entries (
    member_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    doc       TEXT NOT NULL,
    PRIMARY KEY (member_id, seq)
) STRICT;

-- Operation keys are unique across the store. The result is bytes, kept
-- byte for byte (an earn's result is binary).
CREATE TABLE loyalty_operations (
    key       TEXT PRIMARY KEY,
    member_id TEXT NOT NULL,
    hash      TEXT NOT NULL,
    result    BLOB NOT NULL
) STRICT;

-- One row per lot, closed ones included. expires_at is NULL for a lot
-- that never expires; earned_at and pending_until keep Go's zero time as
-- its (negative) microseconds, which sorts first as it does in Go.
CREATE TABLE loyalty_lots (
    member_id     TEXT NOT NULL,
    lot_id        TEXT NOT NULL,
    earn_entry    TEXT NOT NULL,
    origin        TEXT NOT NULL,
    source        TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    remaining     INTEGER NOT NULL,
    held          INTEGER NOT NULL,
    earned_at     INTEGER NOT NULL,
    pending_until INTEGER NOT NULL,
    released      INTEGER NOT NULL,
    expires_at    INTEGER,
    PRIMARY KEY (member_id, lot_id)
) STRICT;

-- Open lots in ledger.SpendingOrder: soonest expiry first, never-expiring
-- (NULL, read as the largest integer) last, then earn time, then ID.
-- SpendingLots pages through it with a row-value comparison on the same
-- expression.
CREATE INDEX loyalty_lots_spending ON loyalty_lots
    (member_id, coalesce(expires_at, 9223372036854775807), earned_at, lot_id)
    WHERE remaining > 0;

-- Unreleased open lots by release time, for PendingLots.
CREATE INDEX loyalty_lots_pending ON loyalty_lots (member_id, pending_until, lot_id)
    WHERE remaining > 0 AND released = 0;

-- Ledger operations, per-purchase state, coupons and reward counters,
-- each opaque bytes under (kind, key).
CREATE TABLE loyalty_records (
    member_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    key       TEXT NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (member_id, kind, key)
) STRICT;
