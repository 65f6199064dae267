package segment

import (
	"cmp"
	"fmt"
	"iter"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// FactsOptions configures BuildFacts. nil means defaults.
type FactsOptions struct {
	// Location fixes calendar days for windows and birthdays; nil is UTC.
	Location *time.Location
	// Currency is the analysis currency; empty takes the first purchase's.
	// A purchase or return in another currency fails with ErrCurrency.
	Currency string
	// SkipSKUs leaves SKUs out of Facts.Items to save memory.
	SkipSKUs bool
	// Loyalty, when set, is called once per customer for loyalty facts.
	Loyalty func(customerID string) LoyaltyFacts
	// Feedback, when set, is called once per customer for feedback facts.
	Feedback func(customerID string) FeedbackFacts
	// ExpectedCustomers sizes the maps up front (0 if unknown).
	ExpectedCustomers int
}

// BuildStats says what BuildFacts read and left out.
type BuildStats struct {
	Customers, Purchases, Returns int64
	Anonymous                     int64 // purchases and returns with no customer
	AfterAsOf                     int64 // purchases and returns after asOf, not counted
}

// BuildFacts builds the facts of every customer in one streaming pass
// over the three streams as customer.Store yields them: customers (any
// order; Store.Customers gives ascending IDs), then purchases and then
// returns, each sorted by time (Store.PurchasesBetween and
// ReturnsBetween). Purchases of a customer missing from the customer
// stream get Facts with Known false; purchases of a merged customer count
// for its survivor. Events after asOf are left out, so facts describe the
// customer as of asOf. The result is sorted by customer ID.
//
// It fails with ErrOrder if purchases or returns go back in time, with
// ErrCurrency for a foreign or too-precise amount, and with ErrOverflow;
// it never returns partial facts.
func BuildFacts(customers iter.Seq2[customer.Customer, error], purchases iter.Seq2[customer.Purchase, error],
	returns iter.Seq2[customer.Return, error], asOf time.Time, opts *FactsOptions) ([]Facts, BuildStats, error) {
	b := newBuilder(asOf, opts)
	if err := b.readCustomers(customers); err != nil {
		return nil, BuildStats{}, err
	}
	if err := b.readPurchases(purchases); err != nil {
		return nil, BuildStats{}, err
	}
	if err := b.readReturns(returns); err != nil {
		return nil, BuildStats{}, err
	}
	return b.finish(), b.stats, nil
}

type builder struct {
	opts     FactsOptions
	asOf     time.Time
	loc      *time.Location
	currency string
	scale    int32
	facts    []Facts
	index    map[string]int32
	merged   map[string]string // duplicate ID -> survivor ID
	intern   map[string]string
	scratch  []itemRef
	stats    BuildStats
}

type itemRef struct {
	kind  ItemKind
	value string
}

func newBuilder(asOf time.Time, opts *FactsOptions) *builder {
	b := &builder{asOf: asOf}
	if opts != nil {
		b.opts = *opts
	}
	b.loc = b.opts.Location
	if b.loc == nil {
		b.loc = time.UTC
	}
	b.currency = b.opts.Currency
	b.scale = ScaleOf(b.currency)
	n := max(0, b.opts.ExpectedCustomers)
	b.facts = make([]Facts, 0, n)
	b.index = make(map[string]int32, n)
	b.merged = map[string]string{}
	b.intern = map[string]string{}
	return b
}

func (b *builder) readCustomers(seq iter.Seq2[customer.Customer, error]) error {
	if seq == nil {
		return nil
	}
	for c, err := range seq {
		if err != nil {
			return fmt.Errorf("segment: reading customers: %w", err)
		}
		if c.ID == "" {
			return &FieldError{Field: "customer.id", Problem: "empty"}
		}
		b.stats.Customers++
		_, f := b.slot(c.ID)
		f.Known = true
		f.Gender, f.Birthday = c.Gender, c.Birthday
		f.Country, f.City = b.str(c.Address.Country), b.str(c.Address.City)
		f.Tags = slices.Compact(slices.Sorted(slices.Values(c.Tags)))
		f.JoinedAt, f.ErasedAt, f.MergedInto = c.JoinedAt, c.ErasedAt, c.MergedInto
		f.RegisteredStore, f.RegisteredChannel = b.str(c.RegisteredStore), c.RegisteredChannel
		f.Consents = c.Clone().Consents
		if c.MergedInto != "" {
			b.merged[c.ID] = c.MergedInto
		}
	}
	return nil
}

// slot returns the index and facts of a customer, creating them.
func (b *builder) slot(id string) (int32, *Facts) {
	i, ok := b.index[id]
	if !ok {
		i = int32(len(b.facts))
		b.index[id] = i
		b.facts = append(b.facts, Facts{CustomerID: id})
	}
	return i, &b.facts[i]
}

// owner resolves merged customers to their survivor (a chain of at most
// 16 merges; a longer or cyclic chain stops where it is).
func (b *builder) owner(id string) string {
	for range 16 {
		next, ok := b.merged[id]
		if !ok {
			return id
		}
		id = next
	}
	return id
}

// str interns a string so that a million customers in one city share one
// copy of its name.
func (b *builder) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := b.intern[s]; ok {
		return v
	}
	b.intern[s] = s
	return s
}

func (b *builder) day(t time.Time) int32 { return DayOf(t, b.loc) }

// DayOf returns the calendar day of t in loc as days since 1970-01-01.
func DayOf(t time.Time, loc *time.Location) int32 {
	y, m, d := t.In(loc).Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// currencyOK fixes the analysis currency on first use and reports
// whether cur is it. It takes plain values (no closure, no message built
// in advance) because it runs once per purchase.
func (b *builder) currencyOK(cur string) bool {
	if b.currency == "" {
		b.currency, b.scale = cur, ScaleOf(cur)
	}
	return cur == b.currency
}

func (b *builder) currencyErr(what, id, cur string) error {
	return fmt.Errorf("%w: %s %s is %q, analysis currency is %q", ErrCurrency, what, id, cur, b.currency)
}

func (b *builder) readPurchases(seq iter.Seq2[customer.Purchase, error]) error {
	if seq == nil {
		return nil
	}
	var prev time.Time
	for p, err := range seq {
		if err != nil {
			return fmt.Errorf("segment: reading purchases: %w", err)
		}
		if p.Time.Before(prev) {
			return fmt.Errorf("%w: purchase %s at %s after one at %s", ErrOrder, p.ID, p.Time.Format(time.RFC3339), prev.Format(time.RFC3339))
		}
		prev = p.Time
		if p.Time.After(b.asOf) {
			b.stats.AfterAsOf++
			continue
		}
		if p.Anonymous() {
			b.stats.Anonymous++
			continue
		}
		if err := b.addPurchase(p); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) addPurchase(p customer.Purchase) error {
	if !b.currencyOK(p.Currency) {
		return b.currencyErr("purchase", p.ID, p.Currency)
	}
	total, err := purchaseMinor(p, b.scale)
	if err != nil {
		return fmt.Errorf("purchase %s: %w", p.ID, err)
	}
	if total < 0 {
		return &FieldError{Field: "purchase " + p.ID + " total", Problem: "negative"}
	}
	_, f := b.slot(b.owner(p.CustomerID))
	gross, ok := addMoney(f.Gross, total)
	if !ok {
		return fmt.Errorf("%w: customer %s", ErrOverflow, f.CustomerID)
	}
	b.stats.Purchases++
	f.Gross = gross
	if f.Purchases == 0 {
		f.First = p.Time
	}
	f.PrevLast, f.Last = f.Last, p.Time
	f.Purchases++
	d := b.day(p.Time)
	f.Days = addDay(f.Days, DayTotal{Day: d, Purchases: 1, Spent: total})
	f.Channels = addUsage(f.Channels, b.str(string(p.Channel)), d, 1, total)
	f.Stores = addUsage(f.Stores, b.str(p.Store), d, 1, total)
	b.addItems(f, p, d)
	return nil
}

// addDay merges a day's totals into days, sorted by day. Purchases come
// in time order, so the usual case is the last element or an append.
func addDay(days []DayTotal, t DayTotal) []DayTotal {
	i, found := slices.BinarySearchFunc(days, t.Day, func(x DayTotal, d int32) int { return cmp.Compare(x.Day, d) })
	if !found {
		return slices.Insert(days, i, t)
	}
	x := &days[i]
	x.Purchases += t.Purchases
	x.Spent = clampAdd(x.Spent, t.Spent)
	x.Refunded = clampAdd(x.Refunded, t.Refunded)
	return days
}

func addUsage(us []Usage, name string, day int32, count int32, net int64) []Usage {
	i, found := slices.BinarySearchFunc(us, name, func(u Usage, n string) int { return cmp.Compare(u.Name, n) })
	if !found {
		us = slices.Insert(us, i, Usage{Name: name})
	}
	u := &us[i]
	u.Net = clampAdd(u.Net, net)
	if count == 0 {
		return us
	}
	u.Purchases += int64(count)
	if n := len(u.Days); n > 0 && u.Days[n-1].Day == day {
		u.Days[n-1].Count += count
	} else {
		u.Days = append(u.Days, DayCount{Day: day, Count: count})
	}
	return us
}

// addItems records the categories, brands and SKUs of a purchase, each
// once per purchase however many lines carry it. Items stay sorted: a
// binary search finds an item and a new one is inserted in place. The
// insert moves the items after it, which is cheap for the tens of items
// most customers have and bounded by k²/2 moves for a customer who ends
// with k items.
func (b *builder) addItems(f *Facts, p customer.Purchase, day int32) {
	b.scratch = b.scratch[:0]
	for _, l := range p.Lines {
		if l.Category != "" {
			b.scratch = append(b.scratch, itemRef{ItemCategory, l.Category})
		}
		if l.Brand != "" {
			b.scratch = append(b.scratch, itemRef{ItemBrand, l.Brand})
		}
		if l.SKU != "" && !b.opts.SkipSKUs {
			b.scratch = append(b.scratch, itemRef{ItemSKU, l.SKU})
		}
	}
	slices.SortFunc(b.scratch, compareRef)
	for _, r := range slices.Compact(b.scratch) {
		i, found := slices.BinarySearchFunc(f.Items, r, func(s ItemStat, r itemRef) int {
			return compareRef(itemRef{s.Kind, s.Value}, r)
		})
		if !found {
			f.Items = slices.Insert(f.Items, i, ItemStat{Kind: r.kind, Value: b.str(r.value), First: day})
		}
		f.Items[i].Last = day
		f.Items[i].Purchases++
	}
}

func compareRef(a, b itemRef) int {
	if c := cmp.Compare(a.kind, b.kind); c != 0 {
		return c
	}
	return cmp.Compare(a.value, b.value)
}

func (b *builder) readReturns(seq iter.Seq2[customer.Return, error]) error {
	if seq == nil {
		return nil
	}
	var prev time.Time
	for r, err := range seq {
		if err != nil {
			return fmt.Errorf("segment: reading returns: %w", err)
		}
		if r.Time.Before(prev) {
			return fmt.Errorf("%w: return %s at %s after one at %s", ErrOrder, r.ID, r.Time.Format(time.RFC3339), prev.Format(time.RFC3339))
		}
		prev = r.Time
		if r.Time.After(b.asOf) {
			b.stats.AfterAsOf++
			continue
		}
		if r.CustomerID == "" {
			b.stats.Anonymous++
			continue
		}
		if err := b.addReturn(r); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) addReturn(r customer.Return) error {
	if !b.currencyOK(r.Currency) {
		return b.currencyErr("return", r.ID, r.Currency)
	}
	refund, err := ToMinor(r.Refund, b.scale)
	if err != nil {
		return fmt.Errorf("return %s: %w", r.ID, err)
	}
	if refund < 0 {
		return &FieldError{Field: "return " + r.ID + " refund", Problem: "negative"}
	}
	_, f := b.slot(b.owner(r.CustomerID))
	refunded, ok := addMoney(f.Refunded, refund)
	if !ok {
		return fmt.Errorf("%w: customer %s", ErrOverflow, f.CustomerID)
	}
	b.stats.Returns++
	f.Refunded = refunded
	f.Returns++
	d := b.day(r.Time)
	f.Days = addDay(f.Days, DayTotal{Day: d, Refunded: refund})
	if r.Channel != "" {
		f.Channels = addUsage(f.Channels, b.str(string(r.Channel)), d, 0, -refund)
	}
	if r.Store != "" {
		f.Stores = addUsage(f.Stores, b.str(r.Store), d, 0, -refund)
	}
	return nil
}

func (b *builder) finish() []Facts {
	for i := range b.facts {
		f := &b.facts[i]
		f.Currency, f.Scale, f.SKUsTracked = b.currency, b.scale, !b.opts.SkipSKUs
		if b.opts.Loyalty != nil {
			f.Loyalty = b.opts.Loyalty(f.CustomerID)
		}
		if b.opts.Feedback != nil {
			f.Feedback = b.opts.Feedback(f.CustomerID)
		}
	}
	return sortByID(b.facts)
}

// sortByID sorts facts by customer ID. Facts are large, so it sorts an
// index and moves each record once; the common case (customers streamed
// in ID order, no unknown buyers) is already sorted and costs one check.
func sortByID(fs []Facts) []Facts {
	byID := func(x, y Facts) int { return cmp.Compare(x.CustomerID, y.CustomerID) }
	if slices.IsSortedFunc(fs, byID) {
		return fs
	}
	idx := make([]int32, len(fs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return cmp.Compare(fs[a].CustomerID, fs[b].CustomerID) })
	out := make([]Facts, len(fs))
	for k, i := range idx {
		out[k] = fs[i]
	}
	return out
}
