-- The account header's documents as bytes: the store now writes them in
-- loyalty's binary form (Account.BinaryDocs), which every earn reads and
-- writes back, and which decodes without JSON's reflection (about 30 µs an
-- earn on a lane). A STRICT TEXT column refuses bytes, so the table is
-- rebuilt with BLOB columns; the JSON documents already stored are kept
-- as they are, as bytes, and read as before (AccountFromDocs reads either
-- form), each rewritten in binary by the account's next write.
CREATE TABLE loyalty_accounts_v45 (
    member_id TEXT PRIMARY KEY,
    version   INTEGER NOT NULL CHECK (version >= 1),
    header    BLOB NOT NULL,
    state     BLOB NOT NULL
) STRICT;
INSERT INTO loyalty_accounts_v45 (member_id, version, header, state)
    SELECT member_id, version, CAST(header AS BLOB), CAST(state AS BLOB) FROM loyalty_accounts;
DROP TABLE loyalty_accounts;
ALTER TABLE loyalty_accounts_v45 RENAME TO loyalty_accounts;
