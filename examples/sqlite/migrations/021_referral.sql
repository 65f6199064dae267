-- referral.Store (issue 16), the bounded-cost contract: a small versioned
-- header per referrer, its code indexed (unique), and one row per referred
-- friend keyed by the friend (a member is referred once), indexed by
-- referrer for the referrer's list. Times are INTEGER microseconds since
-- the Unix epoch, UTC (Go's zero time where unset); IDs compare byte-wise.
CREATE TABLE referral_referrers (
    member_id    TEXT PRIMARY KEY,
    version      INTEGER NOT NULL CHECK (version >= 1),
    code         TEXT NOT NULL UNIQUE,
    bound        INTEGER NOT NULL,
    rewarded     INTEGER NOT NULL,
    period_start INTEGER NOT NULL,
    period_bound INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE referral_friends (
    friend_id          TEXT PRIMARY KEY,
    referrer_id        TEXT NOT NULL REFERENCES referral_referrers (member_id),
    bound_at           INTEGER NOT NULL,
    status             TEXT NOT NULL,
    purchase           TEXT NOT NULL,
    purchase_minor     INTEGER NOT NULL,
    purchased_at       INTEGER NOT NULL,
    returns            TEXT NOT NULL, -- the return IDs, a JSON array
    refunded_minor     INTEGER NOT NULL,
    referrer_points    INTEGER NOT NULL,
    friend_points      INTEGER NOT NULL,
    referrer_taken     INTEGER NOT NULL,
    friend_taken       INTEGER NOT NULL,
    referrer_shortfall INTEGER NOT NULL,
    friend_shortfall   INTEGER NOT NULL,
    rewarded_at        INTEGER NOT NULL,
    taken_back_at      INTEGER NOT NULL,
    restores           INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX referral_friends_referrer ON referral_friends (referrer_id, friend_id);
