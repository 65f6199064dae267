-- feedback.Store: complaints, surveys, responses, invitation logs,
-- reviews and follow-ups. Each record is a JSON document (doc) beside the
-- columns its listings filter and page by; versioned records are written
-- by compare-and-set on the version column. IDs use the "C" collation:
-- listings in ID order are byte-wise, as Go compares strings. An empty
-- customer_id means "no customer" (anonymous responses).
CREATE TABLE feedback_complaints (
    id          text COLLATE "C" PRIMARY KEY,
    version     bigint NOT NULL CHECK (version >= 1),
    customer_id text COLLATE "C" NOT NULL DEFAULT '',
    at          timestamptz NOT NULL, -- ReceivedAt
    open        boolean NOT NULL,     -- Status.Open()
    due_at      timestamptz,          -- DueAt; NULL when zero
    doc         jsonb NOT NULL
);
CREATE INDEX feedback_complaints_time ON feedback_complaints (at, id);
CREATE INDEX feedback_complaints_customer ON feedback_complaints (customer_id, at DESC, id DESC);
CREATE INDEX feedback_complaints_open ON feedback_complaints (id) WHERE open;
-- The overdue scan reads only complaints whose deadline has passed.
CREATE INDEX feedback_complaints_due ON feedback_complaints (due_at, id) WHERE due_at IS NOT NULL;

CREATE TABLE feedback_surveys (
    id      text COLLATE "C" PRIMARY KEY,
    version bigint NOT NULL CHECK (version >= 1),
    doc     jsonb NOT NULL
);

CREATE TABLE feedback_responses (
    id          text COLLATE "C" PRIMARY KEY,
    customer_id text COLLATE "C" NOT NULL DEFAULT '',
    at          timestamptz NOT NULL,
    hash        text NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX feedback_responses_time ON feedback_responses (at, id);
CREATE INDEX feedback_responses_customer ON feedback_responses (customer_id, at DESC, id DESC);

CREATE TABLE feedback_invitation_logs (
    customer_id text COLLATE "C" PRIMARY KEY,
    version     bigint NOT NULL CHECK (version >= 1),
    doc         jsonb NOT NULL
);

CREATE TABLE feedback_reviews (
    id          text COLLATE "C" PRIMARY KEY,
    version     bigint NOT NULL CHECK (version >= 1),
    customer_id text COLLATE "C" NOT NULL DEFAULT '',
    sku         text COLLATE "C" NOT NULL,
    at          timestamptz NOT NULL,
    doc         jsonb NOT NULL
);
CREATE INDEX feedback_reviews_time ON feedback_reviews (at, id);
CREATE INDEX feedback_reviews_customer ON feedback_reviews (customer_id, at DESC, id DESC);
CREATE INDEX feedback_reviews_sku ON feedback_reviews (sku, at DESC, id DESC);

CREATE TABLE feedback_follow_ups (
    id          text COLLATE "C" PRIMARY KEY,
    version     bigint NOT NULL CHECK (version >= 1),
    customer_id text COLLATE "C" NOT NULL DEFAULT '',
    store       text NOT NULL,
    staff       text NOT NULL,
    status      text NOT NULL,
    announced   boolean NOT NULL,
    at          timestamptz NOT NULL, -- DueAt
    doc         jsonb NOT NULL
);
CREATE INDEX feedback_follow_ups_customer ON feedback_follow_ups (customer_id, at, id);
-- Due lists ask for open follow-ups; the rest are history.
CREATE INDEX feedback_follow_ups_open ON feedback_follow_ups (at, id) WHERE status = 'open';
CREATE INDEX feedback_follow_ups_time ON feedback_follow_ups (at, id);
