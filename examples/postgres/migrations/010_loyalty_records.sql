-- loyalty.Store, bounded-cost contract (issue 11): the account row keeps a
-- small header; lots and keyed records live in tables of their own, so an
-- operation reads and writes the rows it touches, never the member's
-- history. Rows written by 002's snapshot schema are converted here, in
-- the migration's transaction.

-- Lots: one row per lot, closed ones included. Zero times: expires_at is
-- NULL for a lot that never expires; earned_at and pending_until keep
-- Go's zero time (0001-01-01 UTC), which sorts first as it does in Go.
CREATE TABLE loyalty_lots (
    member_id     text COLLATE "C" NOT NULL,
    lot_id        text COLLATE "C" NOT NULL,
    earn_entry    text NOT NULL,
    origin        text NOT NULL,
    source        text NOT NULL,
    amount        bigint NOT NULL,
    remaining     bigint NOT NULL,
    held          bigint NOT NULL,
    earned_at     timestamptz NOT NULL,
    pending_until timestamptz NOT NULL,
    released      boolean NOT NULL,
    expires_at    timestamptz,
    PRIMARY KEY (member_id, lot_id)
);

-- Open lots in ledger.SpendingOrder: soonest expiry first, never-expiring
-- (NULL, read as infinity) last, then earn time, then ID in byte order.
-- SpendingLots pages through it with a row comparison on the same
-- expression.
CREATE INDEX loyalty_lots_spending ON loyalty_lots
    (member_id, (COALESCE(expires_at, 'infinity'::timestamptz)), earned_at, lot_id)
    WHERE remaining > 0;

-- Unreleased open lots by release time, for PendingLots.
CREATE INDEX loyalty_lots_pending ON loyalty_lots (member_id, pending_until, lot_id)
    WHERE remaining > 0 AND NOT released;

-- Records: ledger operations, per-purchase state, coupons, reward counters,
-- each opaque bytes under (kind, key).
CREATE TABLE loyalty_records (
    member_id text COLLATE "C" NOT NULL,
    kind      text COLLATE "C" NOT NULL,
    key       text COLLATE "C" NOT NULL,
    data      bytea NOT NULL,
    PRIMARY KEY (member_id, kind, key)
);

-- The header: ledger.Header as JSON beside the rest of the account state.
ALTER TABLE loyalty_accounts ADD COLUMN header jsonb;

-- Conversion of 002 rows. points is a ledger.Snapshot (Lots, Operations
-- and the header's fields); state held the per-purchase maps and the
-- coupons beside tier, activity and merge state.
CREATE OR REPLACE FUNCTION pg_temp.arr(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN jsonb_typeof(j) = 'array' THEN j ELSE '[]'::jsonb END $$;
CREATE OR REPLACE FUNCTION pg_temp.obj(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
    $$ SELECT CASE WHEN jsonb_typeof(j) = 'object' THEN j ELSE '{}'::jsonb END $$;

INSERT INTO loyalty_lots (member_id, lot_id, earn_entry, origin, source, amount, remaining, held,
                          earned_at, pending_until, released, expires_at)
SELECT a.member_id, l->>'ID', COALESCE(l->>'EarnEntry', ''), COALESCE(l->>'Origin', ''), COALESCE(l->>'Source', ''),
       (l->>'Amount')::bigint, (l->>'Remaining')::bigint, COALESCE((l->>'Held')::bigint, 0),
       COALESCE((l->>'EarnedAt')::timestamptz, '0001-01-01 00:00:00+00'),
       COALESCE((l->>'PendingUntil')::timestamptz, '0001-01-01 00:00:00+00'),
       COALESCE((l->>'Released')::boolean, false),
       NULLIF((l->>'ExpiresAt')::timestamptz, '0001-01-01 00:00:00+00')
FROM loyalty_accounts a, jsonb_array_elements(pg_temp.arr(a.points->'Lots')) AS l;

-- Ledger operations, keyed as ledger.OperationKey: redemptions and holds
-- share the "spend" namespace, the other kinds are their own.
INSERT INTO loyalty_records (member_id, kind, key, data)
SELECT a.member_id, 'operation',
       CASE WHEN o->>'Kind' IN ('redeem', 'hold') THEN 'spend' ELSE o->>'Kind' END || ':' || (o->>'ID'),
       convert_to(o::text, 'UTF8')
FROM loyalty_accounts a, jsonb_array_elements(pg_temp.arr(a.points->'Operations')) AS o;

-- Per-purchase state (loyalty's purchaseState): the lines returned, the
-- points the purchase's clawbacks took, the redemption that paid for it.
INSERT INTO loyalty_records (member_id, kind, key, data)
SELECT p.member_id, 'purchase', p.purchase, convert_to(jsonb_strip_nulls(jsonb_build_object(
           'returned', CASE WHEN jsonb_array_length(pg_temp.arr(p.returned)) > 0 THEN p.returned END,
           'clawedBack', NULLIF(p.clawed_back, 0),
           'paidWith', NULLIF(p.paid_with, '')))::text, 'UTF8')
FROM (
    SELECT a.member_id, k.purchase,
           pg_temp.obj(a.state->'returned')->k.purchase AS returned,
           pg_temp.obj(a.state->'paidWith')->>k.purchase AS paid_with,
           (SELECT COALESCE(sum((o->>'Points')::bigint), 0)
              FROM jsonb_array_elements(pg_temp.arr(a.points->'Operations')) AS o
             WHERE o->>'Kind' = 'clawback' AND o->>'Target' = k.purchase) AS clawed_back
    FROM loyalty_accounts a,
         LATERAL (SELECT jsonb_object_keys(pg_temp.obj(a.state->'returned'))
                  UNION SELECT jsonb_object_keys(pg_temp.obj(a.state->'paidWith'))
                  UNION SELECT o->>'Target' FROM jsonb_array_elements(pg_temp.arr(a.points->'Operations')) AS o
                         WHERE o->>'Kind' = 'clawback') AS k (purchase)
) p;

-- Coupons, keyed by coupon ID.
INSERT INTO loyalty_records (member_id, kind, key, data)
SELECT a.member_id, 'coupon', c->>'id', convert_to(c::text, 'UTF8')
FROM loyalty_accounts a, jsonb_array_elements(pg_temp.arr(a.state->'coupons')) AS c;

-- The header: the snapshot's own fields, the account ID where a snapshot
-- of the zero ledger account had none, and the sums over the lots.
UPDATE loyalty_accounts a SET
    header = (a.points - 'Lots' - 'Operations') || jsonb_build_object(
        'ID', a.member_id,
        'Remaining', s.remaining, 'Pending', s.pending, 'Held', s.held),
    state = a.state - 'returned' - 'paidWith' - 'coupons'
FROM (
    SELECT b.member_id,
           COALESCE(sum((l->>'Remaining')::bigint), 0) AS remaining,
           COALESCE(sum((l->>'Remaining')::bigint) FILTER (WHERE NOT COALESCE((l->>'Released')::boolean, false)), 0) AS pending,
           COALESCE(sum((l->>'Held')::bigint), 0) AS held
    FROM loyalty_accounts b LEFT JOIN LATERAL jsonb_array_elements(pg_temp.arr(b.points->'Lots')) AS l ON true
    GROUP BY b.member_id
) s
WHERE s.member_id = a.member_id;

ALTER TABLE loyalty_accounts DROP COLUMN points, ALTER COLUMN header SET NOT NULL;
