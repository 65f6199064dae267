package loyalty

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// What a purchase earns can depend on the member's other facts before it:
// the tier they held then (an earn multiplier), whether it was their first
// purchase, and the points earlier purchases of its day and cap period
// earned. A fact that arrives late lands before purchases already earned,
// so each of those is quoted again, in time order, as if the late fact had
// come in time, and the difference settled on its points: a shortfall is
// added as another lot of the purchase (same expiry), an excess clawed back
// from its lots under the programme's return policy. The purchase's record
// keeps the quote it now earns under, so its returns claw back by it.

// factSource is the context a write's re-quotes read recorded facts in.
type factSource struct {
	ctx context.Context
}

// purchaseFact is a purchase fact of the account's activity: a single event
// of the header, or a fact of a summary's record (setFactPoints finds it
// again by its time and purchase).
type purchaseFact struct {
	fact QualifyingEvent
}

// before orders purchase facts by time, then purchase ID.
func (f QualifyingEvent) before(t time.Time, id string) bool {
	return f.Time.Before(t) || (f.Time.Equal(t) && f.Purchase < id)
}

// purchasesAfter returns the purchase facts after (t, id) in the account's
// activity, in time order, reading the facts of summaries that reach past
// t: after t, and for a late purchase (id set) those at t with a greater
// ID too, which purchases order after it. With through set it stops at
// through (a local midnight, so a day's summary is either wholly before it
// or wholly after), but still returns the first purchase after t (which a
// late purchase may have displaced as the first).
func (s *Service) purchasesAfter(acct Account, ws *workset, t time.Time, id string, through time.Time) ([]purchaseFact, error) {
	after := func(f QualifyingEvent) bool {
		return f.Time.After(t) || (id != "" && f.Time.Equal(t) && f.Purchase > id)
	}
	// A summary at t itself may hold facts after (t, id); a single event
	// there is after it or not.
	reaches := func(e QualifyingEvent) bool {
		return after(e) || (id != "" && e.Time.Equal(t) && e.Count > 1)
	}
	var out []purchaseFact
	for i := searchActivity(acct.Activity, t); i < len(acct.Activity); i++ {
		e := acct.Activity[i]
		if activityClass(e) != "p" || !reaches(e) {
			continue
		}
		beyond := !through.IsZero() && e.Time.After(through)
		if beyond && len(out) > 0 {
			break
		}
		if e.Count <= 1 {
			if e.Purchase != "" {
				out = append(out, purchaseFact{fact: e})
			}
			continue
		}
		facts, _, err := s.summaryFacts(e, ws)
		if err != nil {
			return nil, err
		}
		for _, f := range facts {
			if after(f) && f.Purchase != "" {
				out = append(out, purchaseFact{fact: f})
			}
		}
	}
	slices.SortFunc(out, func(a, b purchaseFact) int {
		return cmp.Or(a.fact.Time.Compare(b.fact.Time), cmp.Compare(a.fact.Purchase, b.fact.Purchase))
	})
	if !through.IsZero() {
		n := 1
		for n < len(out) && !out[n].fact.Time.After(through) {
			n++
		}
		out = out[:min(n, len(out))]
	}
	return out, nil
}

// sameTiersAfter reports whether two tier histories agree on the tier a
// member held at every instant after from: the same steps (marks) after
// it, and the same tier now.
func sameTiersAfter(a, b Account, from time.Time) bool {
	ma, mb := marksAfter(a.TierMarks, from), marksAfter(b.TierMarks, from)
	if len(ma) != len(mb) || a.Tier.Tier != b.Tier.Tier {
		return false
	}
	for i := range ma {
		if !ma[i].At.Equal(mb[i].At) || ma[i].State.Tier != mb[i].State.Tier {
			return false
		}
	}
	return true
}

func marksAfter(marks []TierMark, t time.Time) []TierMark {
	i, _ := slices.BinarySearchFunc(marks, t, func(m TierMark, t time.Time) int {
		if m.At.After(t) {
			return 1
		}
		return -1
	})
	return marks[i:]
}

// siblingOrder returns the purchase's ID if the account may already hold
// a purchase at the same instant, which orders after it by a greater ID;
// "" when every recorded fact is older (an in-order purchase), so that its
// re-quotes need not read the facts of its own day.
func (s *Service) siblingOrder(acct Account, p customer.Purchase) string {
	if n := len(acct.Activity); n > 0 && !p.Time.After(acct.Activity[n-1].Time) {
		return p.ID
	}
	return ""
}

// requoteScope is how far after a late fact its re-quotes may reach: every
// purchase when it moved the tier history; otherwise, for a late purchase,
// the purchases of its cap day and period (and the first purchase after
// it); nothing for a return.
func (s *Service) requoteScope(acct Account, late lateFact) (reach bool, through time.Time) {
	if !sameTiersAfter(late.prior, acct, late.at) {
		return true, time.Time{}
	}
	if !late.purchase {
		return false, time.Time{}
	}
	return true, s.capReach(late.at, late.at)
}

// capReach extends through to the end of the cap day and period holding
// t: the purchases whose cap usage a change of points at t moves.
func (s *Service) capReach(through, t time.Time) time.Time {
	if s.program.Caps.PerDay > 0 {
		_, end := s.program.DayWindow(t)
		through = latest(through, end)
	}
	if s.program.Caps.PerPeriod > 0 {
		_, end := s.program.PeriodWindow(t)
		through = latest(through, end)
	}
	return through
}

// summaryFacts returns the facts a summary sums and their record keys;
// none for a summary that keeps no facts.
func (s *Service) summaryFacts(e QualifyingEvent, ws *workset) ([]QualifyingEvent, []string, error) {
	d, c := DateOf(e.Time, s.program.loc()), activityClass(e)
	keys := make([]string, 0, e.Count)
	for n := int64(1); n <= e.Count; n++ {
		keys = append(keys, factKey(d, c, n))
	}
	got, err := ws.readFacts(keys)
	if err != nil {
		return nil, nil, err
	}
	facts := make([]QualifyingEvent, 0, len(keys))
	found := keys[:0:0]
	for _, k := range keys {
		if f, ok := got[k]; ok {
			facts = append(facts, f)
			found = append(found, k)
		}
	}
	return facts, found, nil
}

// usageBefore is capUsage counting only the purchases before (t, id): a
// quote sees what the member earned before the purchase, whatever arrived
// first.
func (s *Service) usageBefore(acct Account, ws *workset, t time.Time, id string) (CapUsage, error) {
	dayStart, dayEnd := s.program.DayWindow(t)
	periodStart, periodEnd := s.program.PeriodWindow(t)
	from, to := earliest(dayStart, periodStart), latest(dayEnd, periodEnd)
	var u CapUsage
	if err := s.unfoldMonths(&acct, ws, anyOf(cutBy(dayStart, dayEnd, periodStart, periodEnd), holding(t))); err != nil {
		return u, err
	}
	add := func(e QualifyingEvent) {
		if !e.Time.Before(dayStart) && e.Time.Before(dayEnd) {
			u.Today += e.Points
		}
		if !e.Time.Before(periodStart) && e.Time.Before(periodEnd) {
			u.Period += e.Points
		}
	}
	for _, e := range activitySince(acct.Activity, from) {
		if !e.Time.Before(to) {
			break
		}
		if activityClass(e) != "p" {
			continue
		}
		if e.Month { // a whole month before t, or after it
			if e.Time.Before(t) {
				add(e)
			}
			continue
		}
		if e.Count > 1 && !e.Time.Before(t) { // a summary that may hold later facts
			facts, _, err := s.summaryFacts(e, ws)
			if err != nil {
				return u, err
			}
			for _, f := range facts {
				if f.before(t, id) {
					add(f)
				}
			}
			continue
		}
		if e.before(t, id) || (e.Count > 1 && e.Time.Before(t)) {
			add(e)
		}
	}
	return u, nil
}

// firstBefore reports whether no purchase the account holds came before
// (t, id), nor any older one that fell out of its activity.
func (s *Service) firstBefore(acct Account, ws *workset, t time.Time, id string) (bool, error) {
	if !s.program.hasFirstPurchaseRule() {
		return acct.Purchases == 0, nil // no rule reads it: skip the pass over the activity
	}
	// The month of t is unfolded first: it may hold facts the header has
	// pruned, which its unfolding leaves out, as the header did.
	if err := s.unfoldMonths(&acct, ws, holding(t)); err != nil {
		return false, err
	}
	var inActivity int64
	for _, e := range acct.Activity {
		if activityClass(e) == "p" {
			inActivity += e.Purchases
		}
	}
	if acct.Purchases > inActivity {
		return false, nil // older purchases were pruned
	}
	for _, e := range acct.Activity {
		if activityClass(e) != "p" {
			continue
		}
		if e.Month { // a whole month before t, or after it
			if e.Time.Before(t) {
				return false, nil
			}
			continue
		}
		if e.Count > 1 && !e.Time.Before(t) {
			facts, _, err := s.summaryFacts(e, ws)
			if err != nil {
				return false, err
			}
			for _, f := range facts {
				if f.before(t, id) {
					return false, nil
				}
			}
			continue
		}
		if e.before(t, id) || (e.Count > 1 && e.Time.Before(t)) {
			return false, nil
		}
	}
	return true, nil
}

// quoteAt quotes p as the member stood just before it.
func (s *Service) quoteAt(acct Account, ws *workset, c customer.Customer, p customer.Purchase) (Quote, error) {
	usage, err := s.usageBefore(acct, ws, p.Time, p.ID)
	if err != nil {
		return Quote{}, err
	}
	first, err := s.firstBefore(acct, ws, p.Time, p.ID)
	if err != nil {
		return Quote{}, err
	}
	m, err := s.member(ws.src.ctx, acct, c, p.Time)
	if err != nil {
		return Quote{}, err
	}
	m.FirstPurchase = first
	return s.program.Quote(QuoteInput{Purchase: p, Member: m, Usage: usage})
}

// maxRequotePasses bounds how often a late fact's re-quotes and tier walk
// alternate: a re-quote changes qualifying points, which may move a tier
// step, which may change a multiplier. Each pass settles what the last one
// moved; ladders without points thresholds settle in one.
const maxRequotePasses = 4

// lateFact is a fact that may land before purchases already earned: when
// it is, at what time, whether it is a purchase (which can also change
// the first purchase and cap usage; a return changes only tiers), and the
// tier history before it.
type lateFact struct {
	at       time.Time
	purchase bool
	id       string  // the late purchase's ID if facts at its instant may follow it (siblingOrder)
	prior    Account // TierMarks and Tier before the fact
}

// settleLater re-quotes the purchases earned after a late fact whose
// inputs it changed and, while that moves qualifying points, walks the
// tier again from it. It returns the entries and the tier changes it
// made. c is the member's customer, or nil to read it.
func (s *Service) settleLater(acct *Account, ws *workset, c *customer.Customer, late lateFact, now time.Time) ([]ledger.Entry, []TierChange, error) {
	if ws.src == nil {
		return nil, nil, nil
	}
	var entries []ledger.Entry
	var changes []TierChange
	for range maxRequotePasses {
		es, err := s.requoteAfter(acct, ws, c, late, now)
		if err != nil || len(es) == 0 {
			return entries, changes, err
		}
		entries = append(entries, es...)
		if s.program.Tiers.IsZero() {
			return entries, changes, nil
		}
		late.prior = Account{Tier: acct.Tier, TierMarks: slices.Clone(acct.TierMarks)}
		if seen := late.at.Add(-time.Microsecond); acct.Tier.Seen.After(seen) {
			acct.Tier.Seen = seen
		}
		more, err := s.evaluateTier(acct, ws, latest(late.at, now))
		if err != nil {
			return nil, nil, err
		}
		changes = append(changes, more...)
		late.purchase = false // later passes follow tier moves only
	}
	return entries, changes, nil
}

// affected reports whether a late fact changed an input of the quote of a
// purchase at t: the tier the member held then; for a late purchase,
// whether t's purchase was the first (first says it is the earliest
// purchase after the late fact); and the cap usage of t's day or period,
// which the late purchase and every purchase re-quoted before t (moved)
// count in.
func (s *Service) affected(acct Account, late lateFact, moved []time.Time, t time.Time, first bool) bool {
	if late.prior.tierAt(t).Effective(t) != acct.tierAt(t).Effective(t) {
		return true
	}
	if late.purchase && first && s.program.hasFirstPurchaseRule() {
		return true
	}
	caps := s.program.Caps
	for _, m := range moved {
		if caps.PerDay > 0 {
			if from, to := s.program.DayWindow(t); !m.Before(from) && m.Before(to) {
				return true
			}
		}
		if caps.PerPeriod > 0 {
			if from, to := s.program.PeriodWindow(t); !m.Before(from) && m.Before(to) {
				return true
			}
		}
	}
	return false
}

// hasFirstPurchaseRule reports whether a rule depends on the first purchase.
func (p *Program) hasFirstPurchaseRule() bool {
	return slices.ContainsFunc(p.EarnRules, func(r EarnRule) bool { return r.When.FirstPurchase })
}

// requoteAfter quotes again every purchase earned after the late fact
// whose inputs it changed, in time order, and settles what changed. It
// returns the ledger entries it wrote.
func (s *Service) requoteAfter(acct *Account, ws *workset, c *customer.Customer, late lateFact, now time.Time) ([]ledger.Entry, error) {
	reach, through := s.requoteScope(*acct, late)
	if !reach {
		return nil, nil
	}
	if err := s.unfoldMonths(acct, ws, endingAfter(late.at)); err != nil {
		return nil, err
	}
	later, err := s.purchasesAfter(*acct, ws, late.at, late.id, through)
	if err != nil || len(later) == 0 {
		return nil, err
	}
	var entries []ledger.Entry
	var moved []time.Time // purchases whose points changed, for cap usage
	if late.purchase {
		moved = append(moved, late.at)
	}
	for i := 0; i < len(later); i++ {
		pf := later[i]
		if !s.affected(*acct, late, moved, pf.fact.Time, i == 0) {
			continue
		}
		if c == nil {
			got, err := s.customers.Get(ws.src.ctx, acct.MemberID)
			if err != nil {
				return nil, err
			}
			c = &got
		}
		es, err := s.requote(acct, ws, *c, pf, now)
		if err != nil {
			return nil, fmt.Errorf("loyalty: re-quoting %s: %w", pf.fact.Purchase, err)
		}
		entries = append(entries, es...)
		if len(es) == 0 {
			continue
		}
		moved = append(moved, pf.fact.Time)
		// A purchase whose points moved frees or takes cap room in its own
		// day and period, which may reach past the late fact's (a late
		// first purchase takes the bonus from a purchase a week on): the
		// purchases there are quoted again too.
		if wider := s.capReach(through, pf.fact.Time); !through.IsZero() && wider.After(through) {
			last := later[len(later)-1].fact
			more, err := s.purchasesAfter(*acct, ws, last.Time, last.Purchase, wider)
			if err != nil {
				return nil, err
			}
			more = slices.DeleteFunc(more, func(f purchaseFact) bool { return f.fact.Time.After(wider) })
			later, through = append(later, more...), wider
		}
	}
	return entries, nil
}

// requote quotes one purchase again and settles the difference.
func (s *Service) requote(acct *Account, ws *workset, c customer.Customer, pf purchaseFact, now time.Time) ([]ledger.Entry, error) {
	id := pf.fact.Purchase
	p, err := s.customers.Purchase(ws.src.ctx, id)
	if err != nil {
		return nil, err
	}
	p.Time = storeTime(p.Time)
	ps, cur, err := s.currentQuote(ws, id)
	if err != nil {
		return nil, err
	}
	q, err := s.quoteAt(*acct, ws, c, p)
	if err != nil {
		return nil, err
	}
	// What the purchase holds net of the returns already made of it: they
	// take back by the quote too.
	delta := held(q, ps, p) - held(cur, ps, p)
	returnsMoved, err := s.requoteReturns(acct, ws, &ps, q, p)
	if err != nil {
		return nil, err
	}
	if delta == 0 && q.Total == cur.Total && !returnsMoved {
		return nil, nil
	}
	if err := s.loadPurchaseLots(acct, ws, id, ps); err != nil {
		return nil, err
	}
	ps.Requotes++
	opID := "requote:" + id + "~" + strconv.Itoa(ps.Requotes)
	var es []ledger.Entry
	switch {
	case delta > 0:
		pending := q.PendingUntil
		if q.ReleaseByHost {
			pending = hostRelease
		}
		acct.Points, es, err = acct.Points.Earn(requoteLotID(id, ps.Requotes), delta, p.Time, pending, q.ExpiresAt, id)
	case delta < 0:
		acct.Points, es, err = acct.Points.ClawBack(opID, id, -delta, latest(p.Time, now), ledger.ClawbackPolicy(s.program.ReturnPolicy))
	}
	if err != nil {
		return nil, err
	}
	ps.Quote = &q
	ws.setPurchase(id, ps)
	return es, s.setFactPoints(acct, ws, pf, q.Total)
}

// requoteReturns corrects the qualifying points the purchase's returns
// took from the activity to what each takes back under the new quote,
// in time order, as returns that came after the re-quote would have. It
// reports whether any changed.
func (s *Service) requoteReturns(acct *Account, ws *workset, ps *purchaseState, q Quote, p customer.Purchase) (bool, error) {
	if len(ps.Returns) == 0 {
		return false, nil
	}
	rs := slices.Clone(ps.Returns)
	slices.SortStableFunc(rs, func(a, b returnFact) int {
		return cmp.Or(a.Time.Compare(b.Time), cmp.Compare(a.ID, b.ID))
	})
	moved := false
	var before []customer.ReturnLine
	for i := range rs {
		owed := int64(0)
		if len(q.Lines) > 0 {
			owed = q.ClawbackFor(before, rs[i].Lines, p)
		}
		before = append(before, rs[i].Lines...)
		if owed == rs[i].Owed {
			continue
		}
		if err := s.addActivity(acct, ws, QualifyingEvent{Time: rs[i].Time, Spend: decimal.Zero, Points: rs[i].Owed - owed}); err != nil {
			return false, err
		}
		rs[i].Owed, moved = owed, true
	}
	ps.Returns = rs
	return moved, nil
}

// purchaseLotIDs are the IDs of the lots a purchase may have: its earn's
// and one per re-quote (a re-quote that took points back made none).
func purchaseLotIDs(id string, requotes int) []string {
	ids := []string{lotID(id)}
	for k := 1; k <= requotes; k++ {
		ids = append(ids, requoteLotID(id, k))
	}
	return ids
}

// requoteLotID is the lot of the kth re-quote of a purchase.
func requoteLotID(id string, k int) string { return lotID(id) + "~" + strconv.Itoa(k) }

// held is what a purchase keeps under quote q after the returns made of it.
func held(q Quote, ps purchaseState, p customer.Purchase) int64 {
	if len(q.Lines) == 0 || len(ps.Returned) == 0 {
		return q.Total
	}
	return q.Total - q.PointsForReturn(ps.Returned, p)
}

// loadPurchaseLots loads into the partial ledger account the lots a
// purchase earned (its own and its re-quotes') and the points its returns
// took, unless loaded already.
func (s *Service) loadPurchaseLots(acct *Account, ws *workset, id string, ps purchaseState) error {
	ids := slices.DeleteFunc(purchaseLotIDs(id, ps.Requotes), func(l string) bool { _, ok := acct.Points.Lot(l); return ok })
	var l ledger.Loaded
	if len(ids) > 0 {
		lots, err := s.store.Lots(ws.src.ctx, acct.MemberID, ids)
		if err != nil {
			return err
		}
		l.Lots = lots
	}
	if _, loaded := ws.loadedReturns[id]; !loaded {
		l.Returned = map[string]int64{id: ps.ClawedBack}
		put(&ws.loadedReturns, id, true)
	}
	var err error
	acct.Points, err = acct.Points.Load(l)
	return err
}

// currentQuote returns a purchase's record and the quote it earns under
// now: the record's, or its earn's.
func (s *Service) currentQuote(ws *workset, id string) (purchaseState, Quote, error) {
	ps, ok := ws.purchases[id]
	if !ok {
		recs, err := ws.read(RecordPurchase, []string{id})
		if err != nil {
			return ps, Quote{}, err
		}
		for _, r := range recs {
			if err := json.Unmarshal(r.Data, &ps); err != nil {
				return ps, Quote{}, fmt.Errorf("loyalty: purchase record %s: %w", r.Key, err)
			}
		}
		put(&ws.purchases, id, ps)
	}
	if ps.Quote != nil {
		return ps, *ps.Quote, nil
	}
	earned, found, err := s.storedEarn(ws.src.ctx, id)
	if err != nil {
		return ps, Quote{}, err
	}
	if !found {
		return ps, Quote{}, fmt.Errorf("earn of %s: %w", id, ErrInconsistent)
	}
	return ps, earned.Quote, nil
}

// setFactPoints writes a re-quoted purchase's points into its fact, and
// into the summary that holds it. The fact is looked up where it is now:
// re-quoting the purchases before it may have added events (a return's
// correction) or summarised its day since purchasesAfter found it.
func (s *Service) setFactPoints(acct *Account, ws *workset, pf purchaseFact, points int64) error {
	t, id := pf.fact.Time, pf.fact.Purchase
	_, dayEnd := s.program.DayWindow(t)
	for i := searchActivity(acct.Activity, t); i < len(acct.Activity) && acct.Activity[i].Time.Before(dayEnd); i++ {
		e := &acct.Activity[i]
		if e.Month || activityClass(*e) != "p" {
			continue
		}
		if e.Count <= 1 {
			if e.Time.Equal(t) && e.Purchase == id {
				e.Points = points
				return nil
			}
			continue
		}
		facts, keys, err := s.summaryFacts(*e, ws)
		if err != nil {
			return err
		}
		for k, f := range facts {
			if f.Purchase == id && f.Time.Equal(t) {
				e.Points += points - f.Points
				f.Points = points
				ws.setFact(keys[k], f)
				return nil
			}
		}
	}
	return fmt.Errorf("loyalty: the activity's fact of %s: %w", id, ErrInconsistent)
}
