-- storedvalue.Store (issue 14): stored-value accounts (wallets, gift
-- cards, punch cards) on the bounded-cost contract. The account row is a
-- small header; parts, keyed records, entries and idempotency records
-- live in tables of their own, so an operation reads and writes the rows
-- it touches, never the account's history. IDs and keys use the "C"
-- collation: accounts stream in byte-wise ID order, as Go compares
-- strings. Money is in the currency's minor unit.
CREATE TABLE sv_accounts (
    account_id text COLLATE "C" PRIMARY KEY,
    version    bigint NOT NULL CHECK (version >= 1),
    type       text NOT NULL,
    state      text NOT NULL,
    holder     text NOT NULL,
    currency   text NOT NULL,
    -- A gift card's lookup key (a keyed hash of its code, never the code);
    -- NULL for accounts without one. Unique: one card per code.
    code_key   text COLLATE "C" CONSTRAINT sv_accounts_code_key UNIQUE,
    paid       bigint NOT NULL,
    bonus      bigint NOT NULL,
    held_paid  bigint NOT NULL,
    held_bonus bigint NOT NULL,
    seq        bigint NOT NULL,
    created_at timestamptz NOT NULL,
    punch      jsonb -- a punch card's plan and count
);

-- Parts: one row per credit, spent ones included. expires_at is NULL for
-- money that never expires.
CREATE TABLE sv_parts (
    account_id text COLLATE "C" NOT NULL,
    part_id    text COLLATE "C" NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('paid', 'bonus')),
    source     text NOT NULL,
    amount     bigint NOT NULL,
    remaining  bigint NOT NULL,
    held       bigint NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz,
    PRIMARY KEY (account_id, part_id)
);

-- Open parts of each kind in storedvalue.SpendingOrder: soonest expiry
-- first, never-expiring (NULL, read as infinity) last, then oldest, then
-- ID. SpendingParts pages through it with a row comparison on the same
-- expression.
CREATE INDEX sv_parts_spending ON sv_parts
    (account_id, kind, (COALESCE(expires_at, 'infinity'::timestamptz)), created_at, part_id)
    WHERE remaining > 0;

-- Records: payments and holds with their draws, punch-card uses.
CREATE TABLE sv_records (
    account_id text COLLATE "C" NOT NULL,
    kind       text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (account_id, kind, key)
);

-- Entries are only ever inserted; the key is the account's sequence.
CREATE TABLE sv_entries (
    account_id text COLLATE "C" NOT NULL,
    seq        bigint NOT NULL,
    kind       text NOT NULL,
    op         text NOT NULL,
    at         timestamptz NOT NULL,
    paid       bigint NOT NULL,
    bonus      bigint NOT NULL,
    held_paid  bigint NOT NULL,
    held_bonus bigint NOT NULL,
    uses       bigint NOT NULL,
    corrects   text NOT NULL,
    PRIMARY KEY (account_id, seq)
);

-- Operation keys are unique across the store. The result is bytes, kept
-- exactly.
CREATE TABLE sv_operations (
    key        text COLLATE "C" PRIMARY KEY,
    account_id text COLLATE "C" NOT NULL,
    hash       text NOT NULL,
    result     bytea NOT NULL
);
