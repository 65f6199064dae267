-- feedback.Store: complaints, surveys, responses, invitation logs,
-- reviews and follow-ups. Each record is a JSON document (doc) beside the
-- columns its listings filter and page by; versioned records are written
-- by compare-and-set on the version column. An empty customer_id means
-- "no customer" (anonymous responses).
CREATE TABLE feedback_complaints (
    id          TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    customer_id TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL, -- ReceivedAt
    open        INTEGER NOT NULL, -- Status.Open()
    due_at      INTEGER,          -- DueAt; NULL when zero
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_complaints_time ON feedback_complaints (at, id);
CREATE INDEX feedback_complaints_customer ON feedback_complaints (customer_id, at, id);
CREATE INDEX feedback_complaints_open ON feedback_complaints (id) WHERE open;
-- The overdue scan reads only complaints with a deadline.
CREATE INDEX feedback_complaints_due ON feedback_complaints (due_at, id) WHERE due_at IS NOT NULL;

CREATE TABLE feedback_surveys (
    id      TEXT PRIMARY KEY,
    version INTEGER NOT NULL CHECK (version >= 1),
    doc     TEXT NOT NULL
) STRICT;

CREATE TABLE feedback_responses (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_responses_time ON feedback_responses (at, id);
CREATE INDEX feedback_responses_customer ON feedback_responses (customer_id, at, id);

CREATE TABLE feedback_invitation_logs (
    customer_id TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    doc         TEXT NOT NULL
) STRICT;

CREATE TABLE feedback_reviews (
    id          TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    customer_id TEXT NOT NULL DEFAULT '',
    sku         TEXT NOT NULL,
    at          INTEGER NOT NULL,
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_reviews_time ON feedback_reviews (at, id);
CREATE INDEX feedback_reviews_customer ON feedback_reviews (customer_id, at, id);
CREATE INDEX feedback_reviews_sku ON feedback_reviews (sku, at, id);

CREATE TABLE feedback_follow_ups (
    id          TEXT PRIMARY KEY,
    version     INTEGER NOT NULL CHECK (version >= 1),
    customer_id TEXT NOT NULL DEFAULT '',
    store       TEXT NOT NULL,
    staff       TEXT NOT NULL,
    status      TEXT NOT NULL,
    announced   INTEGER NOT NULL,
    at          INTEGER NOT NULL, -- DueAt
    doc         TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_follow_ups_customer ON feedback_follow_ups (customer_id, at, id);
-- Due lists ask for open follow-ups; the rest are history.
CREATE INDEX feedback_follow_ups_open ON feedback_follow_ups (at, id) WHERE status = 'open';
CREATE INDEX feedback_follow_ups_time ON feedback_follow_ups (at, id);
