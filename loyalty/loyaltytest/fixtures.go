package loyaltytest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
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
	return func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.Earn(lot, points, when, time.Time{}, when.Add(365*day), "order-"+lot)
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

// member is one member's account as the kit last saved it, with every
// entry written for it: what the store must give back.
type member struct {
	acct    loyalty.Account
	entries []ledger.Entry
}

// newMember is a member without an account yet (version 0).
func newMember(t *testing.T, id string) *member {
	t.Helper()
	pts, err := ledger.New(id)
	require.NoError(t, err)
	return &member{acct: loyalty.Account{MemberID: id, Points: pts}}
}

// next builds the write that applies op (if not nil) to the member's
// account as the service does: the version it read plus one, the entries
// op appended, and, unless key is empty, the record of the request.
func (m *member) next(t *testing.T, key string, op ledgerOp) loyalty.Write {
	t.Helper()
	w := loyalty.Write{Account: m.acct.Clone()}
	if op != nil {
		pts, entries, err := op(w.Account.Points)
		require.NoError(t, err, "building the fixture")
		w.Account.Points, w.Entries = pts, entries
	}
	w.Account.Version++
	if key != "" {
		w.Operation = operation(t, key, m.acct.MemberID, w.Account)
	}
	return w
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
	m.entries = append(m.entries, w.Entries...)
}

// result is what the fixtures' operations record as their result.
type result struct {
	Member    string `json:"member"`
	Version   int64  `json:"version"`
	Available int64  `json:"available"`
	Note      string `json:"note,omitempty"`
}

// operation is the record of a request by key, as the service writes it:
// a hash of the request and the JSON result to replay.
func operation(t *testing.T, key, memberID string, acct loyalty.Account) *loyalty.Operation {
	t.Helper()
	op, err := newOperation(key, memberID, acct)
	require.NoError(t, err)
	return op
}

// newOperation is operation for goroutines other than the test's.
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
	scratch := &member{acct: m.acct.Clone()}
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
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
			// Pending for the 14-day return window.
			return a.Earn("lot-1", 120, start, start.Add(14*day), start.Add(365*day), "order-1")
		},
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

// fullMember returns a member and the write that creates its account with
// every field of loyalty.Account set (merge fields aside: a new account
// is not being merged), times in several zones.
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
		{Time: at(0), Spend: decimal.New(12345, -2), Purchases: 1, Points: 120},
		{Time: at(time.Hour).In(shanghai), Spend: decimal.New(80005, -3), Purchases: 1, Points: 80},
		{Time: at(5 * time.Hour).In(newYork), Spend: decimal.New(-1999, -2), Points: -20},
	}
	a.Purchases = 2
	a.Returned = map[string][]customer.ReturnLine{
		"order-lot-2": {{Line: 1, Quantity: decimal.New(1500, -3)}, {Line: 3, Quantity: decimal.NewFromInt(2)}},
	}
	a.PaidWith = map[string]string{"order-3": "redeem-1"}
	a.Coupons = []loyalty.Coupon{
		{ID: "cp-1", RewardID: "birthday", IssuedAt: at(time.Hour), ValidFrom: at(time.Hour), ValidUntil: at(31 * day).In(shanghai)},
		{ID: "cp-2", RewardID: "voucher-5", IssuedAt: at(2 * time.Hour), ValidFrom: at(3 * time.Hour),
			UsedAt: at(3*time.Hour + time.Microsecond).In(chatham), UsedOn: "order-3"},
	}
	return m, w
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
