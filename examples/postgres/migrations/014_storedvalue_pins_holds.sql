-- storedvalue (issue 14): gift-card PINs and holds that expire.
-- pin_key is a card's PIN as a keyed hash (never the PIN; a card without
-- a PIN keeps the key of the empty PIN); pin_failures counts wrong PINs
-- since the card was issued or unlocked. Rows from before keep '' and 0.
ALTER TABLE sv_accounts
    ADD COLUMN pin_key      text   NOT NULL DEFAULT '',
    ADD COLUMN pin_failures bigint NOT NULL DEFAULT 0;

-- due_at puts a record (an open hold with an expiry) in the index of due
-- records; a replacement with NULL takes it out. The partial index holds
-- only those rows, so a sweep reads the holds due and nothing else.
ALTER TABLE sv_records ADD COLUMN due_at timestamptz;
CREATE INDEX sv_records_due ON sv_records (kind, due_at, account_id, key) WHERE due_at IS NOT NULL;
