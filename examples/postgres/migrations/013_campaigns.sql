-- campaign.Store (issue 16), the bounded-cost contract: a small versioned
-- header per campaign beside one row per member drawn, so issuing to or
-- recording a redemption of one member reads and writes one header row
-- and one member row. IDs compare byte-wise (COLLATE "C"), the order
-- Members yields. Unset times keep Go's zero time (0001-01-01 UTC).
CREATE TABLE campaign_headers (
    campaign_id    text COLLATE "C" PRIMARY KEY,
    version        bigint NOT NULL,
    definition     text NOT NULL,
    treated        bigint NOT NULL,
    control        bigint NOT NULL,
    issued         bigint NOT NULL,
    redeemed       bigint NOT NULL,
    reserved_minor bigint NOT NULL,
    redeemed_minor bigint NOT NULL
);

CREATE TABLE campaign_members (
    campaign_id    text COLLATE "C" NOT NULL REFERENCES campaign_headers (campaign_id),
    member_id      text COLLATE "C" NOT NULL,
    grp            text NOT NULL,
    drawn_at       timestamptz NOT NULL,
    reference      text NOT NULL,
    valid_until    timestamptz NOT NULL,
    redeemed_at    timestamptz NOT NULL,
    redeemed_on    text NOT NULL,
    redeemed_minor bigint NOT NULL,
    PRIMARY KEY (campaign_id, member_id)
);
