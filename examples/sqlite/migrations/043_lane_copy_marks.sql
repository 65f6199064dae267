-- Where a lane's last copy of each central account and coupon code left
-- off, so that a Refresh reads and writes what changed since (issue 19):
-- an account whose central and lane versions are both those recorded
-- here is not read again beyond its header; a changed one is read from
-- the recorded central sequence on (the lane's entries up to it are the
-- centre's, entries being append-only on both sides). A code whose
-- versions are both unchanged needs no per-customer counts read again for
-- the members already read. Written only by DB.ReplaceStoredValue and
-- DB.ReplaceCoupons; a lane file without a row copies whole, as before.
CREATE TABLE sv_copy_marks (
    account_id      TEXT PRIMARY KEY,
    central_version INTEGER NOT NULL,
    central_seq     INTEGER NOT NULL,
    lane_version    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE coupon_copy_marks (
    code            TEXT PRIMARY KEY,
    central_version INTEGER NOT NULL,
    lane_version    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- The members whose per-customer counts of a code were read at its last
-- copy (found or not).
CREATE TABLE coupon_copy_members (
    code     TEXT NOT NULL,
    customer TEXT NOT NULL,
    PRIMARY KEY (code, customer)
) STRICT, WITHOUT ROWID;
