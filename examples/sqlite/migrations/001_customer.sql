-- customer.Store: customers with versions and unique identities; merge
-- attempts; append-only purchases, returns and interactions. Each record
-- is a JSON document (doc, TEXT) beside the columns its lookups filter and
-- page by. Times are integer microseconds since the Unix epoch (UTC); text
-- compares with SQLite's BINARY collation, byte order as Go compares
-- strings.
CREATE TABLE customers (
    id       TEXT PRIMARY KEY,
    version  INTEGER NOT NULL CHECK (version >= 1),
    name_key TEXT NOT NULL DEFAULT '',
    doc      TEXT NOT NULL
) STRICT;
CREATE INDEX customers_name_key ON customers (name_key, id);

-- One row per identity: the primary key makes an identity unique across
-- customers.
CREATE TABLE identities (
    key         TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id)
) STRICT;
CREATE INDEX identities_customer ON identities (customer_id);

-- Every attempt to merge a duplicate, numbered from 1; at most one not
-- abandoned (abandoned_at NULL) per duplicate.
CREATE TABLE merges (
    duplicate    TEXT NOT NULL,
    attempt      INTEGER NOT NULL CHECK (attempt >= 1),
    abandoned_at INTEGER,
    doc          TEXT NOT NULL,
    PRIMARY KEY (duplicate, attempt)
) STRICT;
CREATE UNIQUE INDEX merges_in_force ON merges (duplicate) WHERE abandoned_at IS NULL;

CREATE TABLE purchases (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX purchases_customer ON purchases (customer_id, at, id);
CREATE INDEX purchases_time ON purchases (at, id);

CREATE TABLE returns (
    id          TEXT PRIMARY KEY,
    purchase_id TEXT NOT NULL REFERENCES purchases (id),
    customer_id TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX returns_purchase ON returns (purchase_id, at, id);
CREATE INDEX returns_customer ON returns (customer_id, at, id);
CREATE INDEX returns_time ON returns (at, id);

CREATE TABLE interactions (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL,
    at          INTEGER NOT NULL,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX interactions_customer ON interactions (customer_id, at, id);
