-- referral.Referrer.Slots and Displaced (issue 16): the referrer's
-- rewarded places under MaxRewarded, in the order of their qualifying
-- purchases (a JSON array of {"friend", "purchase", "at"}, "at" in
-- microseconds since the Unix epoch, UTC), and the friends that lost their
-- place and whose records still await the change (a JSON array of IDs).
-- Both are bounded by the policy's MaxRewarded and live in the header row
-- every referral operation reads and writes.
ALTER TABLE referral_referrers ADD COLUMN slots TEXT NOT NULL DEFAULT '[]' CHECK (json_type(slots) = 'array');
ALTER TABLE referral_referrers ADD COLUMN displaced TEXT NOT NULL DEFAULT '[]' CHECK (json_type(displaced) = 'array');
