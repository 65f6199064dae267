-- loyalty.Store: an account snapshot written with an expected version,
-- append-only ledger entries and idempotency records, in one transaction.
-- Member IDs and operation keys use the "C" collation: accounts stream in
-- byte-wise ID order, as Go compares strings.
CREATE TABLE loyalty_accounts (
    member_id text COLLATE "C" PRIMARY KEY,
    version   bigint NOT NULL CHECK (version >= 1),
    state     jsonb NOT NULL, -- tier, activity, coupons, merge state
    points    jsonb NOT NULL  -- ledger.Snapshot
);

-- Entries are only ever inserted; the key is the account's entry sequence.
CREATE TABLE loyalty_entries (
    member_id text COLLATE "C" NOT NULL,
    seq       bigint NOT NULL,
    doc       jsonb NOT NULL,
    PRIMARY KEY (member_id, seq)
);

-- Operation keys are unique across the store, not per member. The result
-- is kept as bytes: the service replays it byte for byte, which jsonb
-- (reordering keys, dropping white space) would not.
CREATE TABLE loyalty_operations (
    key       text COLLATE "C" PRIMARY KEY,
    member_id text COLLATE "C" NOT NULL,
    hash      text NOT NULL,
    result    bytea NOT NULL
);
