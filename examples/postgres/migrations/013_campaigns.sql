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

-- referral.Store (issue 16): a small versioned header per referrer, the
-- code index (a unique column of it), one row per referred friend keyed
-- by the friend (a member is referred once).
CREATE TABLE referral_referrers (
    member_id    text COLLATE "C" PRIMARY KEY,
    version      bigint NOT NULL,
    code         text COLLATE "C" NOT NULL CONSTRAINT referral_referrers_code_key UNIQUE,
    bound        bigint NOT NULL,
    rewarded     bigint NOT NULL,
    period_start timestamptz NOT NULL,
    period_bound bigint NOT NULL
);

CREATE TABLE referral_friends (
    friend_id          text COLLATE "C" PRIMARY KEY,
    referrer_id        text COLLATE "C" NOT NULL REFERENCES referral_referrers (member_id),
    bound_at           timestamptz NOT NULL,
    status             text NOT NULL,
    purchase           text NOT NULL,
    purchase_minor     bigint NOT NULL,
    purchased_at       timestamptz NOT NULL,
    returns            text[] NOT NULL,
    refunded_minor     bigint NOT NULL,
    referrer_points    bigint NOT NULL,
    friend_points      bigint NOT NULL,
    referrer_taken     bigint NOT NULL,
    friend_taken       bigint NOT NULL,
    referrer_shortfall bigint NOT NULL,
    friend_shortfall   bigint NOT NULL,
    rewarded_at        timestamptz NOT NULL,
    taken_back_at      timestamptz NOT NULL
);

-- Friends lists a referrer's friends by friend ID.
CREATE INDEX referral_friends_referrer ON referral_friends (referrer_id, friend_id);

-- membership.Store (issue 16): a small versioned card per member, one row
-- per term bought, keyed by member and the payment's ID.
CREATE TABLE membership_cards (
    member_id     text COLLATE "C" PRIMARY KEY,
    version       bigint NOT NULL,
    latest        text NOT NULL,
    latest_plan   text NOT NULL,
    latest_start  timestamptz NOT NULL,
    previous_plan text NOT NULL,
    until         timestamptz NOT NULL,
    terms         bigint NOT NULL
);

CREATE TABLE membership_terms (
    member_id      text COLLATE "C" NOT NULL REFERENCES membership_cards (member_id),
    term_id        text COLLATE "C" NOT NULL,
    plan_id        text NOT NULL,
    currency       text NOT NULL,
    fee_minor      bigint NOT NULL,
    paid_at        timestamptz NOT NULL,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    refund_id      text NOT NULL,
    refunded_at    timestamptz NOT NULL,
    refund_minor   bigint NOT NULL,
    benefits_minor bigint NOT NULL,
    coupon_months  int NOT NULL,
    PRIMARY KEY (member_id, term_id)
);
