-- customer.Store lists customers "in ascending ID order" and breaks time
-- ties by ID, both byte-wise as Go compares strings. 001 left the ID
-- columns in the database's default collation, which orders that way only
-- in a "C" database (en-US puts "a" before "B"), so the ordering columns
-- move to the "C" collation; their indexes are rebuilt with them.
ALTER TABLE customers ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE purchases ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE returns ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE interactions ALTER COLUMN id TYPE text COLLATE "C";
