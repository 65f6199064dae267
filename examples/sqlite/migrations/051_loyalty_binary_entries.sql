-- Ledger entries as bytes: the store now writes them in loyalty's binary
-- form (loyalty.EncodeEntry: some 120 bytes an earn's entry against
-- 325-390 as JSON, in the one table that grows by a row every operation
-- for a member's whole history). A STRICT TEXT column refuses bytes, so the
-- table is rebuilt with a BLOB column; the JSON documents already stored
-- are kept as they are, as bytes, and read as before (loyalty.DecodeEntry
-- reads either form). Entries are never rewritten, so old ones stay JSON.
CREATE TABLE loyalty_entries_v51 (
    member_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    doc       BLOB NOT NULL,
    PRIMARY KEY (member_id, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO loyalty_entries_v51 (member_id, seq, doc)
    SELECT member_id, seq, CAST(doc AS BLOB) FROM loyalty_entries;
DROP TABLE loyalty_entries;
ALTER TABLE loyalty_entries_v51 RENAME TO loyalty_entries;
