-- Where a lane's last copy of each member's loyalty account left off (as
-- sv_copy_marks does for stored value, migration 043): a Refresh finding
-- the central header and the lane's at the versions recorded here leaves
-- the lane's account as it is instead of reading it whole again. Written
-- only by DB.ReplaceMembers.
CREATE TABLE loyalty_copy_marks (
    member_id       TEXT PRIMARY KEY,
    central_version INTEGER NOT NULL,
    lane_version    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
