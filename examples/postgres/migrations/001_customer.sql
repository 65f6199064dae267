-- customer.Store: customers with versions and unique identities;
-- append-only purchases, returns and interactions.
CREATE TABLE customers (
    id       text PRIMARY KEY,
    version  bigint NOT NULL CHECK (version >= 1),
    name_key text NOT NULL DEFAULT '',
    doc      jsonb NOT NULL
);
CREATE INDEX customers_name_key ON customers (name_key, id);

-- One row per identity: the primary key is what makes an identity unique
-- across customers.
CREATE TABLE identities (
    key         text PRIMARY KEY,
    customer_id text NOT NULL REFERENCES customers (id)
);
CREATE INDEX identities_customer ON identities (customer_id);

CREATE TABLE merges (
    duplicate text PRIMARY KEY,
    doc       jsonb NOT NULL
);

CREATE TABLE purchases (
    id          text PRIMARY KEY,
    customer_id text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    hash        text NOT NULL,
    version     bigint NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX purchases_customer ON purchases (customer_id, at DESC, id DESC);
CREATE INDEX purchases_time ON purchases (at, id);

CREATE TABLE returns (
    id          text PRIMARY KEY,
    purchase_id text NOT NULL REFERENCES purchases (id),
    customer_id text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    hash        text NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX returns_purchase ON returns (purchase_id, at, id);
CREATE INDEX returns_customer ON returns (customer_id, at DESC, id DESC);
CREATE INDEX returns_time ON returns (at, id);

CREATE TABLE interactions (
    id          text PRIMARY KEY,
    customer_id text NOT NULL,
    at          timestamptz NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX interactions_customer ON interactions (customer_id, at DESC, id DESC);
