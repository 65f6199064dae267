-- campaign.Store (issue 16), the bounded-cost contract: a small versioned
-- header per campaign beside one row per member drawn, so issuing to or
-- recording a redemption of one member reads and writes one header row
-- and one member row. Times are INTEGER microseconds since the Unix epoch,
-- UTC (Go's zero time where unset); IDs compare byte-wise, the order
-- Members yields.
CREATE TABLE campaign_headers (
    campaign_id    TEXT PRIMARY KEY,
    version        INTEGER NOT NULL CHECK (version >= 1),
    definition     TEXT NOT NULL,
    treated        INTEGER NOT NULL,
    control        INTEGER NOT NULL,
    issued         INTEGER NOT NULL,
    redeemed       INTEGER NOT NULL,
    reserved_minor INTEGER NOT NULL,
    redeemed_minor INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE campaign_members (
    campaign_id    TEXT NOT NULL REFERENCES campaign_headers (campaign_id),
    member_id      TEXT NOT NULL,
    grp            TEXT NOT NULL,
    drawn_at       INTEGER NOT NULL,
    reference      TEXT NOT NULL,
    valid_until    INTEGER NOT NULL,
    redeemed_at    INTEGER NOT NULL,
    redeemed_on    TEXT NOT NULL,
    redeemed_minor INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, member_id)
) STRICT, WITHOUT ROWID;
