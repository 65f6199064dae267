package ledger

import (
	"github.com/clientele-go/clientele/internal/pmap"

	"fmt"
	"time"
)

// Account is one member's points account: an immutable value. Operations
// return a new Account and the entries they appended and never change the
// receiver, so a failed operation changes nothing and an old value stays a
// valid snapshot. Internally the lots and records live in persistent trees,
// so an operation costs O(log n) per lot or record it touches, not a copy of
// the account or a scan of its history.
//
// Account values are never modified after they are returned, so one value
// may be read and operated on from several goroutines at once; which of
// two results derived from the same value is kept is the store's decision
// (see Version).
//
// The zero Account has no ID; use New or FromSnapshot. Its operations fail
// with ErrInvalid.
type Account struct {
	id           string
	version      int64
	seq          int64
	debt         int64
	lastActivity time.Time
	totals       Totals

	lots     pmap.Boxed[string, Lot]      // every lot ever held, by ID (closed lots stay: refunds reopen them)
	open     pmap.Map[lotKey, struct{}]   // lots with points left, in spending order
	pending  pmap.Map[pendKey, struct{}]  // unreleased lots with points left, by PendingUntil
	bySource pmap.Map[srcKey, struct{}]   // earned lots by purchase
	ops      pmap.Boxed[opKey, Operation] // identified operations, for idempotency and corrections
	holds    pmap.Map[string, struct{}]   // IDs of open holds
	returned pmap.Map[string, int64]      // purchase -> points of returns applied to it

	remaining, pendingPts, held int64 // sums over lots, kept for O(1) balances

	part      *partState                 // nil: every record is here; else what was loaded (partial.go)
	dirtyLots pmap.Map[string, struct{}] // lots written since built or loaded (Changes)
	dirtyOps  pmap.Map[opKey, struct{}]  // operations written since built or loaded
}

// Totals are running sums over an account's own entries, each a
// non-negative count of points.
type Totals struct {
	Earned       int64 // earn entries
	Released     int64 // release entries
	Redeemed     int64 // redeem and hold-commit entries
	Refunded     int64 // refund-of-redemption entries
	Expired      int64 // expire entries
	ClawedBack   int64 // clawback entries: points taken from lots
	DebtIncurred int64 // clawback entries: points that became debt
	DebtPaid     int64 // debt-payoff entries
	AdjustedUp   int64 // positive adjustments
	AdjustedDown int64 // negative adjustments
	MergedIn     int64 // merge-in entries (lot points; debt moves separately)
	MergedOut    int64 // merge-out entries
}

// Spent reports the points redeemed less those refunded.
func (t Totals) Spent() int64 { return t.Redeemed - t.Refunded }

// Add accumulates one entry into the totals, with the signs the fields
// document: metrics over entry streams use it to sum a period.
func (t *Totals) Add(e Entry) {
	switch e.Kind {
	case KindEarn:
		t.Earned += e.Points
	case KindRelease:
		t.Released -= e.Pending
	case KindRedeem, KindHoldCommit:
		t.Redeemed -= e.Points
	case KindRefund:
		t.Refunded += e.Points
	case KindExpire:
		t.Expired -= e.Points
	case KindClawback:
		t.ClawedBack -= e.Points
		t.DebtIncurred += e.Debt
	case KindDebtPayoff:
		t.DebtPaid -= e.Debt
	case KindAdjust:
		if e.Points > 0 {
			t.AdjustedUp += e.Points
		} else {
			t.AdjustedDown -= e.Points
		}
	case KindMergeIn:
		t.MergedIn += e.Points
	case KindMergeOut:
		t.MergedOut -= e.Points
	}
}

// New returns an empty account.
func New(id string) (Account, error) {
	if id == "" {
		return Account{}, invalid("id", "must not be empty")
	}
	return empty(id), nil
}

func empty(id string) Account {
	return Account{
		id:       id,
		lots:     pmap.NewBoxed[string, Lot](compareStrings),
		open:     pmap.New[lotKey, struct{}](cmpLotKey),
		pending:  pmap.New[pendKey, struct{}](cmpPendKey),
		bySource: pmap.New[srcKey, struct{}](cmpSrcKey),
		ops:      pmap.NewBoxed[opKey, Operation](cmpOpKey),
		holds:    pmap.New[string, struct{}](compareStrings),
		returned: pmap.New[string, int64](compareStrings),

		dirtyLots: pmap.New[string, struct{}](compareStrings),
		dirtyOps:  pmap.New[opKey, struct{}](cmpOpKey),
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// ID returns the account ID.
func (a Account) ID() string { return a.id }

// Version counts the operations that changed the account: a store compares
// it to detect concurrent writers (optimistic concurrency).
func (a Account) Version() int64 { return a.version }

// Seq returns the sequence number of the account's last entry.
func (a Account) Seq() int64 { return a.seq }

// Debt returns the points owed after a clawback under AllowDebt.
func (a Account) Debt() int64 { return a.debt }

// LastActivity returns the latest time of an earn, redemption or committed
// hold: the member's own activity, for inactivity expiry rules.
func (a Account) LastActivity() time.Time { return a.lastActivity }

// Totals returns the running sums of the account's entries.
func (a Account) Totals() Totals { return a.totals }

// Lot returns the lot with the given ID, including closed (fully spent,
// clawed back or expired) lots.
func (a Account) Lot(id string) (Lot, bool) { return a.lots.Get(id) }

// Lots returns the lots that still hold points, in spending order.
func (a Account) Lots() []Lot {
	out := make([]Lot, 0, a.open.Len())
	for k := range a.open.All() {
		l, _ := a.lots.Get(k.id)
		out = append(out, l)
	}
	return out
}

// Holds returns the open holds, by ID.
func (a Account) Holds() []Operation {
	var out []Operation
	for id := range a.holds.All() {
		op, _ := a.ops.Get(keyOf(KindHold, id))
		out = append(out, op.clone())
	}
	return out
}

// Redemption returns the redemption or hold with the given ID.
func (a Account) Redemption(id string) (Operation, bool) {
	op, ok := a.ops.Get(keyOf(KindRedeem, id))
	return op.clone(), ok
}

// String describes the account without personal data.
func (a Account) String() string {
	return fmt.Sprintf("ledger.Account{%s v%d: %d points, %d pending, %d held, %d debt}",
		a.id, a.version, a.remaining-a.pendingPts, a.pendingPts, a.held, a.debt)
}
