-- The account header's two documents and the entries' documents are kept
-- as the bytes the service wrote, not as jsonb (issue 11: the CPU an earn
-- costs). Nothing reads them in SQL; parsing them into jsonb on every
-- write and printing them back on every read was a tenth of the server's
-- work per earn. Existing rows keep their JSON, printed once here.
--
-- Account rows are rewritten on every write of the account: a page with
-- room for the new version keeps the update HOT (no new index entry),
-- so the table keeps half of each page free. The type change below
-- rewrites the table, which applies the fill factor to existing rows.
ALTER TABLE loyalty_accounts SET (fillfactor = 50);
ALTER TABLE loyalty_accounts
    ALTER COLUMN header TYPE bytea USING convert_to(header::text, 'UTF8'),
    ALTER COLUMN state TYPE bytea USING convert_to(state::text, 'UTF8');
ALTER TABLE loyalty_entries
    ALTER COLUMN doc TYPE bytea USING convert_to(doc::text, 'UTF8');
