-- referral.Referrer.Slots and Displaced (issue 16): the referrer's
-- rewarded places under MaxRewarded, the friends whose qualifying
-- purchases come first by (time, ID), in that order (a JSON array of
-- {friend, purchase, at}); and the friends that lost their place and whose
-- records still await the change. Both are bounded by the policy's
-- MaxRewarded and kept in the header row, which every referral operation
-- already reads and writes.
ALTER TABLE referral_referrers
    ADD COLUMN slots jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(slots) = 'array'),
    ADD COLUMN displaced text[] NOT NULL DEFAULT '{}';
