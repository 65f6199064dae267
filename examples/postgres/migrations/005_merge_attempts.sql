-- customer.Store keeps every attempt to merge a duplicate: an attempt that
-- lost a race with the opposite merge is marked abandoned (abandoned_at)
-- and stays as the audit trail, and the next attempt gets the next number.
-- 001 keyed merges by the duplicate alone; the key becomes (duplicate,
-- attempt), with at most one attempt per duplicate not abandoned. Records
-- written before attempts were numbered are attempt 1, in force.
ALTER TABLE merges ADD COLUMN attempt int NOT NULL DEFAULT 1 CHECK (attempt >= 1);
ALTER TABLE merges ALTER COLUMN attempt DROP DEFAULT;
ALTER TABLE merges ADD COLUMN abandoned_at timestamptz;
UPDATE merges SET doc = jsonb_set(doc, '{attempt}', '1') WHERE doc -> 'attempt' IS NULL;
ALTER TABLE merges DROP CONSTRAINT merges_pkey;
ALTER TABLE merges ADD CONSTRAINT merges_pkey PRIMARY KEY (duplicate, attempt);
CREATE UNIQUE INDEX merges_in_force ON merges (duplicate) WHERE abandoned_at IS NULL;
