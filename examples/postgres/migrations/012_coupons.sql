-- coupon.Store (issue 15). A code is a small versioned header found by its
-- code through the primary key's index, so a lookup or a redemption costs
-- an index probe among ten million codes as among ten; per-customer
-- counts, holds and idempotency records are rows of their own, keyed.

-- Definitions are immutable documents (coupon.Definition as JSON, kept
-- as text so a replay compares byte for byte).
CREATE TABLE coupon_definitions (
    id  text COLLATE "C" PRIMARY KEY,
    doc text NOT NULL
);

CREATE TABLE coupon_codes (
    code         text COLLATE "C" PRIMARY KEY,
    definition   text COLLATE "C" NOT NULL,
    source       text NOT NULL,
    owner        text NOT NULL,
    use_limit    bigint NOT NULL,
    per_customer bigint NOT NULL,
    used         bigint NOT NULL,
    held         bigint NOT NULL,
    void         boolean NOT NULL,
    issued_at    timestamptz NOT NULL,
    batch        text NOT NULL,
    version      bigint NOT NULL,
    CHECK (used >= 0 AND held >= 0 AND used + held <= use_limit)
);

-- A definition's codes in byte order, for Codes (exports, audits).
CREATE INDEX coupon_codes_definition ON coupon_codes (definition, code);

CREATE TABLE coupon_uses (
    code     text COLLATE "C" NOT NULL,
    customer text COLLATE "C" NOT NULL,
    used     bigint NOT NULL,
    held     bigint NOT NULL,
    version  bigint NOT NULL,
    PRIMARY KEY (code, customer)
);

CREATE TABLE coupon_redemptions (
    id         text COLLATE "C" PRIMARY KEY,
    code       text COLLATE "C" NOT NULL,
    customer   text NOT NULL,
    state      text NOT NULL,
    purchase   text NOT NULL,
    definition text NOT NULL,
    held_at    timestamptz NOT NULL,
    closed_at  timestamptz,
    version    bigint NOT NULL
);

-- Holds no till closed, oldest first, for the sweep (OpenHolds).
CREATE INDEX coupon_redemptions_open ON coupon_redemptions (held_at, id) WHERE state = 'held';

CREATE TABLE coupon_operations (
    key    text COLLATE "C" PRIMARY KEY,
    hash   text NOT NULL,
    result bytea NOT NULL
);
