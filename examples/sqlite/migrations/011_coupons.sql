-- coupon.Store (issue 15). A code is a small versioned header found by its
-- code through the primary key's index, so a lookup or a redemption costs
-- an index probe among a hundred thousand codes as among ten; per-customer
-- counts, holds and idempotency records are rows of their own, keyed.
-- Times are INTEGER microseconds since the Unix epoch, UTC.

-- Definitions are immutable documents (coupon.Definition as JSON).
CREATE TABLE coupon_definitions (
    id  TEXT PRIMARY KEY,
    doc TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE coupon_codes (
    code         TEXT PRIMARY KEY,
    definition   TEXT NOT NULL,
    source       TEXT NOT NULL,
    owner        TEXT NOT NULL,
    use_limit    INTEGER NOT NULL,
    per_customer INTEGER NOT NULL,
    used         INTEGER NOT NULL,
    held         INTEGER NOT NULL,
    void         INTEGER NOT NULL CHECK (void IN (0, 1)),
    issued_at    INTEGER NOT NULL,
    batch        TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    -- A second guard behind the compare-and-set: no write, however built,
    -- leaves a code with more uses taken than it has.
    CHECK (used >= 0 AND held >= 0 AND used + held <= use_limit)
) STRICT, WITHOUT ROWID;

-- A definition's codes in byte order, for Codes (exports, audits).
CREATE INDEX coupon_codes_definition ON coupon_codes (definition, code);

CREATE TABLE coupon_uses (
    code     TEXT NOT NULL,
    customer TEXT NOT NULL,
    used     INTEGER NOT NULL,
    held     INTEGER NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    PRIMARY KEY (code, customer)
) STRICT, WITHOUT ROWID;

CREATE TABLE coupon_redemptions (
    id         TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    customer   TEXT NOT NULL,
    state      TEXT NOT NULL,
    purchase   TEXT NOT NULL,
    definition TEXT NOT NULL,
    held_at    INTEGER NOT NULL,
    closed_at  INTEGER, -- NULL while held
    version    INTEGER NOT NULL CHECK (version >= 1)
) STRICT, WITHOUT ROWID;

-- Holds no till closed, oldest first, for the sweep (OpenHolds): closed
-- holds leave the index, so the sweep reads only what is still open.
CREATE INDEX coupon_redemptions_open ON coupon_redemptions (held_at, id) WHERE state = 'held';

-- Operation keys are unique across the store; the result is kept byte
-- for byte.
CREATE TABLE coupon_operations (
    key    TEXT PRIMARY KEY,
    hash   TEXT NOT NULL,
    result BLOB NOT NULL
) STRICT, WITHOUT ROWID;
