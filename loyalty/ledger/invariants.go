package ledger

import (
	"errors"
	"fmt"
	"strings"
)

// CheckInvariants checks an account against its complete history (all its
// entries, in Seq order) and reports every broken rule, each matching
// ErrInvariant. It checks DESIGN §3 loyalty invariants 1, 2 and 4 as far as
// one account shows them:
//
//   - entries are numbered 1..n, belong to the account, and each entry's
//     Points, Pending and Held are the sums of its draws;
//   - replaying the draws gives every lot exactly its remaining, pending and
//     held points, and summing the entries gives the account's points,
//     pending, held, available points, debt and totals (invariant 1);
//   - no lot holds fewer than zero or more than it earned, or reserves more
//     than it holds; the open holds reserve exactly the lots' held points
//     (invariant 4: held points cannot be spent twice);
//   - every correction names the entry it corrects, an earlier one
//     (invariant 2; with CheckAppendOnly, which checks no entry changed).
func CheckInvariants(acct Account, entries []Entry) error {
	c := &checker{a: acct, lots: map[string]*Draw{}}
	c.entries(entries)
	c.lotState()
	c.holds()
	c.indexes()
	return errors.Join(c.errs...)
}

// CheckAppendOnly checks that entries extends seen: the entries seen
// earlier are all still there, unchanged, in the same places.
func CheckAppendOnly(seen, entries []Entry) error {
	if len(entries) < len(seen) {
		return fmt.Errorf("%w: %d entries seen, only %d now", ErrInvariant, len(seen), len(entries))
	}
	var errs []error
	for i, e := range seen {
		if !e.Equal(entries[i]) {
			errs = append(errs, fmt.Errorf("%w: entry %d (%s) changed", ErrInvariant, i+1, e.ID))
		}
	}
	return errors.Join(errs...)
}

type checker struct {
	a    Account
	lots map[string]*Draw // per lot: replayed sums
	sum  Draw             // over all entries
	debt int64
	tot  Totals
	errs []error
}

func (c *checker) fail(format string, args ...any) {
	c.errs = append(c.errs, fmt.Errorf("%w: "+format, append([]any{ErrInvariant}, args...)...))
}

var correcting = map[EntryKind]bool{KindRefund: true, KindHoldRelease: true, KindClawback: true, KindMergeIn: true}

func (c *checker) entries(entries []Entry) {
	ids := map[string]int64{}
	for i, e := range entries {
		if want := int64(i + 1); e.Seq != want || e.Account != c.a.id || e.ID != fmt.Sprintf("%s#%d", c.a.id, want) {
			c.fail("entry %d is %q (seq %d, account %q)", want, e.ID, e.Seq, e.Account)
		}
		var s Draw
		for _, d := range e.Draws {
			s.Points += d.Points
			s.Pending += d.Pending
			s.Held += d.Held
			r := c.lots[d.LotID]
			if r == nil {
				r = &Draw{}
				c.lots[d.LotID] = r
			}
			r.Points += d.Points
			r.Pending += d.Pending
			r.Held += d.Held
		}
		if s.Points != e.Points || s.Pending != e.Pending || s.Held != e.Held {
			c.fail("entry %s: draws sum to %+v, entry says %d/%d/%d", e.ID, s, e.Points, e.Pending, e.Held)
		}
		c.correction(e, ids)
		ids[e.ID] = e.Seq
		c.sum.Points += e.Points
		c.sum.Pending += e.Pending
		c.sum.Held += e.Held
		c.debt += e.Debt
		c.tot.Add(e)
	}
	if n := int64(len(entries)); n != c.a.seq {
		c.fail("account is at seq %d, history has %d entries", c.a.seq, n)
	}
	if c.debt != c.a.debt || c.a.debt < 0 {
		c.fail("debt %d, entries sum to %d", c.a.debt, c.debt)
	}
	if c.tot != c.a.totals {
		c.fail("totals %+v, entries sum to %+v", c.a.totals, c.tot)
	}
}

func (c *checker) correction(e Entry, earlier map[string]int64) {
	if correcting[e.Kind] && e.Corrects == "" {
		c.fail("entry %s (%s) does not name what it corrects", e.ID, e.Kind)
	}
	// Corrections of another account's entries (lots moved in by a merge)
	// cannot be checked here.
	if e.Corrects != "" && strings.HasPrefix(e.Corrects, c.a.id+"#") {
		if _, ok := earlier[e.Corrects]; !ok {
			c.fail("entry %s corrects %s, which is not an earlier entry", e.ID, e.Corrects)
		}
	}
}

func (c *checker) lotState() {
	var free, remaining, pending, held int64
	for id, l := range c.a.lots.All() {
		if l.ID != id || l.Amount <= 0 || l.Remaining < 0 || l.Remaining > l.Amount || l.Held < 0 || l.Held > l.Remaining {
			c.fail("lot %q: remaining %d of %d, held %d", id, l.Remaining, l.Amount, l.Held)
		}
		if l.Held > 0 && !l.Released {
			c.fail("lot %q: pending points are held", id)
		}
		r := c.lots[id]
		if r == nil {
			r = &Draw{}
		}
		if r.Points != l.Remaining || r.Pending != l.Pending() || r.Held != l.Held {
			c.fail("lot %q: entries give %d/%d/%d, lot has %d/%d/%d", id,
				r.Points, r.Pending, r.Held, l.Remaining, l.Pending(), l.Held)
		}
		delete(c.lots, id)
		remaining += l.Remaining
		pending += l.Pending()
		held += l.Held
		free += l.Free()
	}
	for id, r := range c.lots {
		if r.Points != 0 || r.Pending != 0 || r.Held != 0 {
			c.fail("entries leave %d points in lot %q, which the account lacks", r.Points, id)
		}
	}
	if remaining != c.sum.Points || pending != c.sum.Pending || held != c.sum.Held ||
		free != c.sum.Points-c.sum.Pending-c.sum.Held {
		c.fail("lots hold %d (%d pending, %d held, %d available), entries sum to %+v",
			remaining, pending, held, free, c.sum)
	}
	if remaining != c.a.remaining || pending != c.a.pendingPts || held != c.a.held {
		c.fail("account sums %d/%d/%d, lots %d/%d/%d", c.a.remaining, c.a.pendingPts, c.a.held, remaining, pending, held)
	}
}

// holds checks that open holds reserve exactly the lots' held points and
// that redemptions and holds drew what they say.
func (c *checker) holds() {
	reserved := map[string]int64{}
	for _, op := range c.a.ops.All() {
		if op.Kind != KindRedeem && op.Kind != KindHold {
			continue
		}
		var sum int64
		for _, p := range op.Portions {
			sum += p.Points
			if p.Refunded < 0 || p.Refunded > p.Points {
				c.fail("%s %q: lot %q refunded %d of %d", op.Kind, op.ID, p.LotID, p.Refunded, p.Points)
			}
			if op.State == HoldOpen {
				reserved[p.LotID] += p.Points
			}
		}
		if _, indexed := c.a.holds.Get(op.ID); indexed != (op.Kind == KindHold && op.State == HoldOpen) {
			c.fail("%s %q (%s): open-hold index says %v", op.Kind, op.ID, op.State, indexed)
		}
		if sum != op.Points || op.Refunded < 0 || op.Refunded > op.Points {
			c.fail("%s %q: portions sum to %d of %d, refunded %d", op.Kind, op.ID, sum, op.Points, op.Refunded)
		}
	}
	for id, l := range c.a.lots.All() {
		if reserved[id] != l.Held {
			c.fail("lot %q: holds reserve %d, lot has %d held", id, reserved[id], l.Held)
		}
	}
}

// indexes checks the account's internal indexes against its lots.
func (c *checker) indexes() {
	open, pending := 0, 0
	for _, l := range c.a.lots.All() {
		_, inOpen := c.a.open.Get(l.key())
		_, inPending := c.a.pending.Get(pendKey{l.PendingUntil, l.ID})
		if inOpen != (l.Remaining > 0) || inPending != (l.Remaining > 0 && !l.Released) {
			c.fail("lot %q: indexed open=%v pending=%v", l.ID, inOpen, inPending)
		}
		if inOpen {
			open++
		}
		if inPending {
			pending++
		}
	}
	if open != c.a.open.Len() || pending != c.a.pending.Len() {
		c.fail("indexes hold %d/%d lots, lots say %d/%d", c.a.open.Len(), c.a.pending.Len(), open, pending)
	}
}
