-- The loyalty change journal (loyalty.ChangeFeed): one row per Save, in
-- the same transaction, naming the lots and records it wrote and the entry
-- Seq its entries follow (loyalty.EncodeChange, some forty bytes an earn).
-- A lane refreshes a member by what changed on each side since its last
-- copy instead of copying the account whole. Accounts saved before this
-- migration have no rows for their versions so far: Changes answers
-- loyalty.ErrChangesGone for those, and the caller copies them whole once.
CREATE TABLE loyalty_changes (
    member_id TEXT NOT NULL,
    version   INTEGER NOT NULL,
    change    BLOB NOT NULL,
    PRIMARY KEY (member_id, version)
) STRICT, WITHOUT ROWID;
