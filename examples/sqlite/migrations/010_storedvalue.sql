-- storedvalue.Store (issue 14): wallets, gift cards and punch cards on the
-- bounded-cost contract. The account row is a small versioned header;
-- parts, keyed records, entries and idempotency records live in tables of
-- their own, so an operation reads and writes the rows it touches, never
-- the account's history. Money is in the currency's minor unit; times are
-- INTEGER microseconds since the Unix epoch, UTC.
CREATE TABLE sv_accounts (
    account_id TEXT PRIMARY KEY,
    version    INTEGER NOT NULL CHECK (version >= 1),
    type       TEXT NOT NULL,
    state      TEXT NOT NULL,
    holder     TEXT NOT NULL,
    currency   TEXT NOT NULL,
    -- A gift card's lookup key (a keyed hash of its code, never the code);
    -- NULL for accounts without one (SQLite lets NULLs repeat in a UNIQUE
    -- column). Unique: one card per code.
    code_key   TEXT UNIQUE,
    paid       INTEGER NOT NULL,
    bonus      INTEGER NOT NULL,
    held_paid  INTEGER NOT NULL,
    held_bonus INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    punch      TEXT -- a punch card's plan and count as JSON; NULL for money
) STRICT;

-- One row per credit, spent ones included. expires_at is NULL for money
-- that never expires.
CREATE TABLE sv_parts (
    account_id TEXT NOT NULL,
    part_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('paid', 'bonus')),
    source     TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    remaining  INTEGER NOT NULL,
    held       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    -- expires_at with "never" as the largest integer: the spending order's
    -- first key. A column, not an expression in the index, so that the
    -- row-value comparison SpendingParts continues a page with is a range
    -- of the index (SQLite seeks on row values of columns only).
    spend_by   INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(expires_at, 9223372036854775807)) VIRTUAL,
    PRIMARY KEY (account_id, part_id)
) STRICT;

-- Open parts of each kind in storedvalue.SpendingOrder: soonest expiry
-- first, never-expiring last, then oldest, then ID.
CREATE INDEX sv_parts_spending ON sv_parts (account_id, kind, spend_by, created_at, part_id)
    WHERE remaining > 0;

-- Payments and holds with their draws, punch-card uses: opaque bytes
-- under (kind, key).
CREATE TABLE sv_records (
    account_id TEXT NOT NULL,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (account_id, kind, key)
) STRICT;

-- Entries are only ever inserted; the key is the account's sequence.
CREATE TABLE sv_entries (
    account_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    op         TEXT NOT NULL,
    at         INTEGER NOT NULL,
    paid       INTEGER NOT NULL,
    bonus      INTEGER NOT NULL,
    held_paid  INTEGER NOT NULL,
    held_bonus INTEGER NOT NULL,
    uses       INTEGER NOT NULL,
    corrects   TEXT NOT NULL,
    PRIMARY KEY (account_id, seq)
) STRICT;

-- Operation keys are unique across the store. The result is bytes, kept
-- byte for byte.
CREATE TABLE sv_operations (
    key        TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    hash       TEXT NOT NULL,
    result     BLOB NOT NULL
) STRICT;
