-- loyalty.Store: an account snapshot written with an expected version,
-- append-only ledger entries and idempotency records, in one transaction.
CREATE TABLE loyalty_accounts (
    member_id text PRIMARY KEY,
    version   bigint NOT NULL CHECK (version >= 1),
    state     jsonb NOT NULL, -- tier, activity, coupons, merge state
    points    jsonb NOT NULL  -- ledger.Snapshot
);

CREATE TABLE loyalty_entries (
    member_id text NOT NULL,
    seq       bigint NOT NULL,
    doc       jsonb NOT NULL,
    PRIMARY KEY (member_id, seq)
);

CREATE TABLE loyalty_operations (
    key       text PRIMARY KEY,
    member_id text NOT NULL,
    hash      text NOT NULL,
    result    bytea NOT NULL
);
