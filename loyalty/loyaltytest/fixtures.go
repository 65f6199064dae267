package loyaltytest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// Zones other than UTC, so a store that drops or shifts the offset of a
// time it keeps shows it.
var (
	shanghai = time.FixedZone("UTC+8", 8*60*60)
	newYork  = time.FixedZone("UTC-5", -5*60*60)
	kolkata  = time.FixedZone("UTC+5:30", 5*60*60+30*60)
	chatham  = time.FixedZone("UTC+12:45", 12*60*60+45*60)
)

// base is the fixtures' clock: microsecond precision, the floor a store
// may round to, and not in UTC.
var base = time.Date(2026, time.March, 14, 15, 9, 26, 535897000, kolkata)

const day = 24 * time.Hour

// at is base moved by d.
func at(d time.Duration) time.Time { return base.Add(d) }

// ledgerOp is one ledger operation on an account, as the service runs it.
type ledgerOp func(ledger.Account) (ledger.Account, []ledger.Entry, error)

// earn is a purchase's earn of points, released at once, expiring after a
// year.
func earn(lot string, points int64, when time.Time) ledgerOp {
	return earnLot(lot, points, when, time.Time{}, when.Add(365*day))
}

// earnLot is a purchase's earn with its own pending and expiry times.
func earnLot(lot string, points int64, when, pendingUntil, expiresAt time.Time) ledgerOp {
	return func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.Earn(lot, points, when, pendingUntil, expiresAt, "order-"+lot)
	}
}

// redeem spends points at checkout.
func redeem(id string, points int64, when time.Time) ledgerOp {
	return func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.Redeem(id, points, when)
	}
}

// chain runs ops one after another, as one write.
func chain(ops ...ledgerOp) ledgerOp {
	return func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		var all []ledger.Entry
		for _, op := range ops {
			next, entries, err := op(a)
			if err != nil {
				return a, nil, err
			}
			a, all = next, append(all, entries...)
		}
		return a, all, nil
	}
}

// recordKey names a record of a member.
type recordKey struct {
	kind loyalty.RecordKind
	key  string
}

// member is one member as the kit last saved it: the header with a
// complete ledger account (the model the store's pieces must add up to),
// every lot and record by key, and every entry written for it.
type member struct {
	acct    loyalty.Account
	lots    map[string]ledger.Lot
	records map[recordKey][]byte
	entries []ledger.Entry
}

// newMember is a member without an account yet (version 0).
func newMember(t *testing.T, id string) *member {
	t.Helper()
	pts, err := ledger.New(id)
	require.NoError(t, err)
	return &member{acct: loyalty.Account{MemberID: id, Points: pts},
		lots: map[string]ledger.Lot{}, records: map[recordKey][]byte{}}
}

// clone returns a copy of m that shares nothing mutable with it.
func (m *member) clone() *member {
	return &member{acct: m.acct.Clone(), lots: maps.Clone(m.lots), records: maps.Clone(m.records),
		entries: slices.Clone(m.entries)}
}

// next builds the write that applies op (if not nil) to the member's
// account as the service does: the version it read plus one, the entries
// op appended, the lots and ledger operations it changed (operations as
// RecordOperation records, JSON as the service encodes them, so that
// loyalty.LoadWhole and CheckInvariants read them back) and, unless key
// is empty, the record of the request.
func (m *member) next(t *testing.T, key string, op ledgerOp) loyalty.Write {
	t.Helper()
	w, err := m.build(key, op)
	require.NoError(t, err, "building the fixture")
	return w
}

// build is next for goroutines other than the test's.
func (m *member) build(key string, op ledgerOp) (loyalty.Write, error) {
	w := loyalty.Write{Account: m.acct.Clone()}
	if op != nil {
		pts, entries, err := op(w.Account.Points)
		if err != nil {
			return w, err
		}
		w.Account.Points, w.Entries = pts, entries
		recs, err := changes(&w)
		if err != nil {
			return w, err
		}
		w.Records = recs
	}
	w.Account.Version++
	if key != "" {
		op, err := newOperation(key, m.acct.MemberID, w.Account)
		if err != nil {
			return w, err
		}
		w.Operation = op
	}
	return w, nil
}

// changes moves what the write's ledger account changed into the write:
// its lots, and its ledger operations as records.
func changes(w *loyalty.Write) ([]loyalty.Record, error) {
	lots, ops := w.Account.Points.Changes()
	w.Lots = lots
	var recs []loyalty.Record
	for _, op := range ops {
		data, err := json.Marshal(op)
		if err != nil {
			return nil, err
		}
		recs = append(recs, loyalty.Record{Kind: loyalty.RecordOperation, Key: ledger.OperationKey(op.Kind, op.ID), Data: data})
	}
	return recs, nil
}

// save saves w, requiring success, and records it as the member's state.
func (m *member) save(t *testing.T, s loyalty.Store, w loyalty.Write) {
	t.Helper()
	require.NoError(t, s.Save(t.Context(), w))
	m.saved(w)
}

// saved records that w was saved.
func (m *member) saved(w loyalty.Write) {
	m.acct = w.Account.Clone()
	m.acct.Points = m.acct.Points.Clean()
	for _, l := range w.Lots {
		m.lots[l.ID] = l
	}
	for _, r := range w.Records {
		m.records[recordKey{r.Kind, r.Key}] = slices.Clone(r.Data)
	}
	m.entries = append(m.entries, w.Entries...)
}

// result is what the fixtures' operations record as their result.
type result struct {
	Member    string `json:"member"`
	Version   int64  `json:"version"`
	Available int64  `json:"available"`
}

// newOperation is the record of a request by key, as the service writes
// it: a hash of the request and the JSON result to replay.
func newOperation(key, memberID string, acct loyalty.Account) (*loyalty.Operation, error) {
	raw, err := json.Marshal(result{Member: memberID, Version: acct.Version, Available: acct.Points.Available(acct.Points.LastActivity())})
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(key + "\x00" + memberID))
	return &loyalty.Operation{Key: key, MemberID: memberID, Hash: hex.EncodeToString(sum[:]), Result: raw}, nil
}

// plan builds the writes that apply ops one after another to a copy of
// the member, so goroutines can save them later without building
// fixtures; the member itself is left as it was.
func (m *member) plan(t *testing.T, keys []string, ops []ledgerOp) []loyalty.Write {
	t.Helper()
	scratch := m.clone()
	writes := make([]loyalty.Write, len(ops))
	for i, op := range ops {
		writes[i] = scratch.next(t, keys[i], op)
		scratch.saved(writes[i])
	}
	return writes
}

// history is the ledger history of a member who shopped a few times: two
// earns, a goodwill adjustment, a redemption, an open hold at checkout and
// a return that claws back part of an earn.
func history(start time.Time) ledgerOp {
	return chain(
		// Pending for the 14-day return window.
		earnLot("lot-1", 120, start, start.Add(14*day), start.Add(365*day)),
		earn("lot-2", 80, start.Add(time.Hour)),
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.Adjust("goodwill-1", 25, start.Add(2*time.Hour), time.Time{}, "late delivery", "agent-7")
		},
		redeem("redeem-1", 50, start.Add(3*time.Hour)),
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.Hold("hold-1", 30, start.Add(4*time.Hour))
		},
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			return a.ClawBack("return-1", "order-lot-2", 20, start.Add(5*time.Hour), ledger.WithinBalance)
		},
	)
}

// Records of the kinds other than ledger operations, as opaque bytes the
// way the service writes them (a store must not care what they hold).
var (
	purchaseRecord = loyalty.Record{Kind: loyalty.RecordPurchase, Key: "order-lot-2",
		Data: []byte(`{"returned":[{"line":1,"quantity":"1.500"}],"clawedBack":20,"paidWith":"redeem-1"}`)}
	couponRecord = loyalty.Record{Kind: loyalty.RecordCoupon, Key: "cp-1",
		Data: []byte(`{"id":"cp-1","rewardId":"birthday","issuedAt":"2026-03-14T15:09:26.535897+05:30"}`)}
	countRecord = loyalty.Record{Kind: loyalty.RecordRewardCount, Key: "voucher-5@2026-03-01T00:00:00Z", Data: []byte("2")}
)

// fullMember returns a member and the write that creates its account with
// every field of loyalty.Account set (merge fields aside: a new account
// is not being merged), times in several zones, and records of every kind.
func fullMember(t *testing.T, id string) (*member, loyalty.Write) {
	t.Helper()
	m := newMember(t, id)
	w := m.next(t, "earn:"+id+":order-1", history(base))
	a := &w.Account
	a.Tier = loyalty.TierState{
		Tier:  "silver",
		Since: at(2 * time.Hour).In(shanghai),
		// A member carried over from a programme older than the epoch.
		MemberSince:     time.Date(1969, time.December, 31, 23, 59, 59, 999999000, newYork),
		GuaranteedUntil: at(365 * day),
		GraceUntil:      at(400 * day).In(chatham),
		GraceSince:      at(30*day + time.Microsecond),
		NextReview:      at(300 * day).In(time.UTC),
		Override:        &loyalty.TierOverride{Tier: "gold", Until: at(90 * day).In(newYork), Reason: "service recovery"},
		Seen:            at(3*time.Hour + time.Microsecond).In(chatham),
	}
	a.Activity = []loyalty.QualifyingEvent{
		// A folded month and a day summary, as the service keeps them.
		{Time: at(-40 * day), Spend: decimal.New(904512, -2), Purchases: 31, Points: 9045, Count: 33, Month: true},
		{Time: at(-2 * day), Spend: decimal.New(3000, -2), Purchases: 3, Points: 30, Count: 3},
		{Time: at(0), Spend: decimal.New(12345, -2), Purchases: 1, Points: 120, Purchase: "p-1"},
		{Time: at(time.Hour).In(shanghai), Spend: decimal.New(80005, -3), Purchases: 1, Points: 80},
		{Time: at(5 * time.Hour).In(newYork), Spend: decimal.New(-1999, -2), Points: -20},
	}
	a.Purchases = 36
	w.Records = append(w.Records, cloneRecord(purchaseRecord), cloneRecord(couponRecord), cloneRecord(countRecord))
	return m, w
}

func cloneRecord(r loyalty.Record) loyalty.Record {
	r.Data = slices.Clone(r.Data)
	return r
}

// simpleWrite creates an account with one earn, recorded under key
// "earn:<id>".
func simpleWrite(t *testing.T, id string, points int64) (*member, loyalty.Write) {
	t.Helper()
	m := newMember(t, id)
	return m, m.next(t, "earn:"+id, earn(id+"-lot", points, base))
}

// memberID is the i-th of a run of member IDs.
func memberID(i int) string { return fmt.Sprintf("M%05d", i) }
