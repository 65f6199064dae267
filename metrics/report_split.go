package metrics

import (
	"iter"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A report has a row per store and per staff member, each measured twice.
// Reading the whole history once per row would cost rows × history, so the
// facts of the report's range are split by scope in one pass and each row
// reads only its own. What a row needs from before the range is only who
// had bought before (for "new" customers): those customers are replayed
// as one marker purchase each, just before the range, with no lines.

type scopeKey struct {
	scope Scope
	key   string
}

type scopeFacts struct {
	historyFrom time.Time           // the scope's first purchase
	prior       map[string]struct{} // customers who bought in the scope before the range
	purchases   []customer.Purchase // in the range, oldest first
	returns     []customer.Return
	scores      []Score
	complaints  []feedback.Complaint
	entries     []ledger.Entry // purchase-linked points entries (stores and staff)
}

type facts struct {
	from, to time.Time // the range: from the window before Previous to the end of Current
	scopes   map[scopeKey]*scopeFacts
	owner    map[string][]scopeKey // purchase ID in the range → its store and staff scopes
}

// scopesOf lists the scopes a fact of a store and staff member belongs to.
func scopesOf(store, staff string) []scopeKey {
	out := []scopeKey{{ScopeShop, ""}}
	if store != "" {
		out = append(out, scopeKey{ScopeStore, store})
	}
	if staff != "" {
		out = append(out, scopeKey{ScopeStaff, staff})
	}
	return out
}

func (f *facts) scope(k scopeKey) *scopeFacts {
	s := f.scopes[k]
	if s == nil {
		s = &scopeFacts{prior: map[string]struct{}{}}
		f.scopes[k] = s
	}
	return s
}

func splitFacts(in ReportInput, o ReportOptions) (*facts, error) {
	f := &facts{
		from:   minTime(before(o.Current, o).From, before(o.Previous, o).From),
		to:     o.Current.To,
		scopes: map[scopeKey]*scopeFacts{{ScopeShop, ""}: {prior: map[string]struct{}{}}},
		owner:  map[string][]scopeKey{},
	}
	if err := f.splitPurchases(in.Purchases); err != nil {
		return nil, err
	}
	if err := f.splitReturns(in.Returns); err != nil {
		return nil, err
	}
	if err := f.splitScores(in.Responses, o); err != nil {
		return nil, err
	}
	if err := f.splitComplaints(in.Complaints, o); err != nil {
		return nil, err
	}
	return f, f.splitEntries(in.Entries)
}

func (f *facts) splitPurchases(purchases iter.Seq2[customer.Purchase, error]) error {
	return walkPurchases(purchases, f.to, func(p *customer.Purchase) error {
		keys := scopesOf(p.Store, p.Staff)
		for _, k := range keys {
			if s := f.scope(k); s.historyFrom.IsZero() {
				s.historyFrom = p.Time
			}
		}
		if p.Time.Before(f.from) {
			if !p.Anonymous() {
				for _, k := range keys {
					f.scope(k).prior[p.CustomerID] = struct{}{}
				}
			}
			return nil
		}
		f.owner[p.ID] = keys[1:]
		for _, k := range keys {
			s := f.scope(k)
			s.purchases = append(s.purchases, *p)
		}
		return nil
	})
}

func (f *facts) splitReturns(returns iter.Seq2[customer.Return, error]) error {
	for r, err := range orEmpty(returns) {
		if err != nil {
			return readErr("returns", err)
		}
		keys, ok := f.owner[r.PurchaseID]
		if !ok || !r.Time.Before(f.to) {
			continue
		}
		f.scope(scopeKey{ScopeShop, ""}).returns = append(f.scope(scopeKey{ScopeShop, ""}).returns, r)
		for _, k := range keys {
			f.scope(k).returns = append(f.scope(k).returns, r)
		}
	}
	return nil
}

func (f *facts) splitScores(responses iter.Seq2[feedback.Response, error], o ReportOptions) error {
	for s, err := range ScoresFrom(orEmpty(responses)) {
		if err != nil {
			return readErr("responses", err)
		}
		if s.Time.Before(o.Previous.From) || !s.Time.Before(f.to) {
			continue
		}
		for _, k := range scopesOf(s.Store, s.Staff) {
			f.scope(k).scores = append(f.scope(k).scores, s)
		}
	}
	return nil
}

func (f *facts) splitComplaints(complaints iter.Seq2[feedback.Complaint, error], o ReportOptions) error {
	for c, err := range orEmpty(complaints) {
		if err != nil {
			return readErr("complaints", err)
		}
		if c.ReceivedAt.Before(o.Previous.From) || !c.ReceivedAt.Before(f.to) {
			continue
		}
		for _, k := range scopesOf(c.Store, c.Staff) {
			f.scope(k).complaints = append(f.scope(k).complaints, c)
		}
	}
	return nil
}

// splitEntries keeps, for stores and staff, the entries that name a
// purchase of the range.
func (f *facts) splitEntries(entries iter.Seq2[ledger.Entry, error]) error {
	for e, err := range orEmpty(entries) {
		if err != nil {
			return readErr("ledger entries", err)
		}
		for _, k := range f.owner[e.Purchase] {
			f.scope(k).entries = append(f.scope(k).entries, e)
		}
	}
	return nil
}

// keys lists the stores or staff members met in the range, sorted.
func (f *facts) keys(scope Scope) []string {
	var out []string
	for k := range f.scopes {
		if k.scope == scope {
			out = append(out, k.key)
		}
	}
	slices.Sort(out)
	return out
}

// history is the scope's purchase stream for activity and retention: a
// marker purchase for each customer seen before the range, then the
// range's purchases.
func (s *scopeFacts) history(at time.Time) iter.Seq2[customer.Purchase, error] {
	return func(yield func(customer.Purchase, error) bool) {
		prior := make([]string, 0, len(s.prior))
		for id := range s.prior {
			prior = append(prior, id)
		}
		slices.Sort(prior)
		for _, id := range prior {
			if !yield(customer.Purchase{ID: "prior:" + id, CustomerID: id, Time: at}, nil) {
				return
			}
		}
		for _, p := range s.purchases {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// row measures one scope in both windows.
func (f *facts) row(scope Scope, key string, in ReportInput, o ReportOptions) (ReportRow, error) {
	s := f.scopes[scopeKey{scope, key}]
	r := ReportRow{Scope: scope, Key: key}
	var err error
	if r.Current, err = f.figures(s, scope, o.Current, in, o); err != nil {
		return ReportRow{}, err
	}
	if r.Previous, err = f.figures(s, scope, o.Previous, in, o); err != nil {
		return ReportRow{}, err
	}
	return r, nil
}

func (f *facts) figures(s *scopeFacts, scope Scope, w Window, in ReportInput, o ReportOptions) (Figures, error) {
	out := Figures{Window: w}
	var err error
	if out.Sales, err = SalesIn(sliceSeq(s.purchases), sliceSeq(s.returns), w); err != nil {
		return Figures{}, err
	}
	hist := s.history(f.from.Add(-time.Nanosecond))
	if out.Activity, err = CustomerActivity(hist, w); err != nil {
		return Figures{}, err
	}
	out.Activity.HistoryFrom = s.historyFrom // the scope's own first purchase, not the markers' time
	rule := ChurnRule{Kind: PeriodOverPeriod, Previous: before(w, o)}
	if out.Retention, err = RetentionIn(hist, w, rule); err != nil {
		return Figures{}, err
	}
	if out.Satisfaction, err = Satisfaction(within(sliceSeq(s.scores), w, func(x Score) time.Time { return x.Time }), o.Satisfaction); err != nil {
		return Figures{}, err
	}
	if out.Complaints, err = ComplaintsIn(sliceSeq(s.complaints), w, o.Complaints); err != nil {
		return Figures{}, err
	}
	if err := f.points(&out, s, scope, w, in, o); err != nil {
		return Figures{}, err
	}
	return out, nil
}

func (f *facts) points(out *Figures, s *scopeFacts, scope Scope, w Window, in ReportInput, o ReportOptions) error {
	if in.Entries == nil {
		return nil
	}
	var err error
	if scope != ScopeShop {
		out.PointsLinked = true
		out.Points, err = PointsIn(sliceSeq(s.entries), w)
		return err
	}
	if out.Points, err = PointsIn(in.Entries, w); err != nil {
		return err
	}
	if o.Liability == nil {
		return nil
	}
	l, err := LiabilityAt(in.Entries, w.To, *o.Liability)
	if err != nil {
		return err
	}
	out.Liability = &l
	return nil
}

// before is the window retention compares w against: the report's
// Previous window for Current when the two are adjacent; the calendar
// month before w when w is a calendar month in the report's time zone;
// otherwise the window of the same length just before w.
func before(w Window, o ReportOptions) Window {
	if w == o.Current && o.Previous.To.Equal(o.Current.From) {
		return o.Previous
	}
	if m := periodOf(w.From, Month, o.Location); m.Start.Equal(w.From) && m.End.Equal(w.To) {
		return m.Previous().Window()
	}
	return w.Previous()
}

// sliceSeq streams a slice.
func sliceSeq[T any](xs []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

// within passes on the records whose time lies in w.
func within[T any](xs iter.Seq2[T, error], w Window, at func(T) time.Time) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for x, err := range xs {
			if err == nil && !w.Contains(at(x)) {
				continue
			}
			if !yield(x, err) {
				return
			}
		}
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
