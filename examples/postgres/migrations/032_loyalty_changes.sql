-- loyalty.ChangeFeed: a journal of what each Save wrote, one row per
-- account version, written by the save's own statement (so a refused save
-- writes none). A lane's offline copy of an account is refreshed from the
-- rows after the version it holds, by the primary key's range, instead of
-- the member's whole history. The change is loyalty.EncodeChange's form:
-- the lot IDs and record keys written and the entry Seq they follow.
--
-- Accounts saved before this migration have no rows for their earlier
-- versions: Changes answers ErrChangesGone for those (the caller copies
-- the account whole), and exactly from the first save after it.
CREATE TABLE loyalty_changes (
    member_id text COLLATE "C" NOT NULL,
    version   bigint NOT NULL,
    change    bytea NOT NULL,
    PRIMARY KEY (member_id, version)
);
