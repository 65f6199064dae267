-- referral.Friend.Restores (issue 16): how many takebacks were undone
-- because an earlier purchase, arriving late, took over as the friend's
-- first qualifying one. It numbers the keys of later takebacks and
-- restores, so none is carried out twice.
ALTER TABLE referral_friends ADD COLUMN restores bigint NOT NULL DEFAULT 0;
