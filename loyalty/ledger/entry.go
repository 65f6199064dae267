package ledger

import (
	"slices"
	"time"
)

// EntryKind names what an entry records.
type EntryKind string

// Entry kinds. Each operation appends entries of the kinds it documents.
const (
	KindEarn        EntryKind = "earn"                 // a new lot from a purchase
	KindRelease     EntryKind = "release"              // pending points become available
	KindRedeem      EntryKind = "redeem"               // points spent at once
	KindHold        EntryKind = "hold"                 // points reserved at checkout
	KindHoldCommit  EntryKind = "hold-commit"          // reserved points spent
	KindHoldRelease EntryKind = "hold-release"         // reserved points freed
	KindClawback    EntryKind = "clawback"             // points taken back for a return
	KindRefund      EntryKind = "refund-of-redemption" // spent points given back to their lots
	KindExpire      EntryKind = "expire"               // a lot's points expired
	KindAdjust      EntryKind = "adjust"               // a manual correction
	KindMergeIn     EntryKind = "merge-in"             // lots and debt moved in from another account
	KindMergeOut    EntryKind = "merge-out"            // lots and debt moved out to the survivor
	KindDebtPayoff  EntryKind = "debt-payoff"          // new points paying off debt
)

// Draw is one lot's share of an entry: the signed changes the entry made to
// that lot. Points is the change of the lot's remaining points, Pending the
// change of its pending (not yet released) points and Held the change of
// its reserved points. The entry's Points, Pending and Held are the sums of
// its draws, so the draws say exactly which lots an operation drew from or
// gave back to.
type Draw struct {
	LotID   string
	Points  int64
	Pending int64
	Held    int64
}

// Entry is one append-only ledger record. Entries are never changed or
// deleted; a correction is a new entry whose Corrects names the entry it
// corrects.
//
// The balance identities are: the points in lots are the sum of Points;
// pending points the sum of Pending; held points the sum of Held; debt the
// sum of Debt; available points (recorded) are points - pending - held.
type Entry struct {
	Seq       int64  // 1, 2, 3... within the account
	ID        string // account ID + "#" + Seq: unique across accounts
	Account   string // the account it belongs to
	Kind      EntryKind
	Points    int64     // change of the points in lots (sum of Draws.Points)
	Pending   int64     // change of pending points (sum of Draws.Pending)
	Held      int64     // change of held points (sum of Draws.Held)
	Debt      int64     // change of the negative-balance debt
	Time      time.Time // the operation's own time
	Reference string    // the operation ID: lot, redemption, hold, return, refund, adjustment or account
	Purchase  string    // the purchase an earn or clawback belongs to
	Corrects  string    // the entry this one corrects or reverses, if any
	Draws     []Draw
	Reason    string // why (adjustments; forgiven points of a clawback)
	Actor     string // who (adjustments)
}

// Available is the entry's change of the available points.
func (e Entry) Available() int64 { return e.Points - e.Pending - e.Held }

// Equal reports whether two entries are identical (times compared with
// time.Time.Equal).
func (e Entry) Equal(o Entry) bool {
	return e.Seq == o.Seq && e.ID == o.ID && e.Account == o.Account && e.Kind == o.Kind &&
		e.Points == o.Points && e.Pending == o.Pending && e.Held == o.Held && e.Debt == o.Debt &&
		e.Time.Equal(o.Time) && e.Reference == o.Reference && e.Purchase == o.Purchase &&
		e.Corrects == o.Corrects && slices.Equal(e.Draws, o.Draws) &&
		e.Reason == o.Reason && e.Actor == o.Actor
}

// StatementLine is an entry with the balances after it.
type StatementLine struct {
	Entry
	Available int64 // recorded available points after the entry
	Pending   int64
	Held      int64
	Debt      int64
}

// Statement returns the entries with running balances, in the given order
// (pass them in Seq order).
func Statement(entries []Entry) []StatementLine {
	lines := make([]StatementLine, 0, len(entries))
	var avail, pend, held, debt int64
	for _, e := range entries {
		avail += e.Available()
		pend += e.Pending
		held += e.Held
		debt += e.Debt
		lines = append(lines, StatementLine{Entry: e, Available: avail, Pending: pend, Held: held, Debt: debt})
	}
	return lines
}
