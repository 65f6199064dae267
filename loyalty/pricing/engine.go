package pricing

import (
	"cmp"
	"errors"
	"github.com/clientele-go/clientele/internal/fielderr"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"math/bits"
)

// Engine prices baskets under one set of rules. It is immutable and safe
// for concurrent use.
type Engine struct {
	currency string
	scale    int32
	loc      *time.Location
	promos   []cOffer // in evaluation order: priority, then as given
	scopes   scopeIndex
	pool     sync.Pool // *pricer: the scratch space of Price calls
}

// cOffer is an offer compiled to integers: amounts in minor units,
// percentages in hundredths of a percent, days of the month as a mask.
type cOffer struct {
	o       *Offer
	src     Source
	order   int // position among its source's offers
	ref     string
	refused Reason

	bit                                           int // the promotion's bit in scopeIndex; -1 for coupons
	minSpend, threshold, amount, maxDiscount, pct int64
	days                                          uint32
	everyLine                                     bool // an empty scope: no line is tested
}

// NewEngine validates and compiles rules; calendar conditions (days of
// the month) are read in loc.
func NewEngine(r Rules, loc *time.Location) (*Engine, error) {
	err := r.Validate()
	if loc == nil {
		err = errors.Join(err, fields.New("location", "a time zone is required for member days"))
	}
	if err != nil {
		return nil, err
	}
	scale, _ := money.MinorUnits(r.Currency)
	e := &Engine{currency: r.Currency, scale: scale, loc: loc, promos: make([]cOffer, len(r.Promotions))}
	for i := range r.Promotions {
		o := r.Promotions[i]
		o.Scope = cloneScope(o.Scope)
		o.When = cloneWhen(o.When)
		e.promos[i] = compile(&o, scale, SourcePromotion, i)
	}
	slices.SortStableFunc(e.promos, func(a, b cOffer) int { return cmp.Compare(b.o.Priority, a.o.Priority) })
	e.scopes = newScopeIndex(e.promos)
	return e, nil
}

// Currency is the rules' currency.
func (e *Engine) Currency() string { return e.currency }

func cloneScope(s Scope) Scope {
	return Scope{SKUs: slices.Clone(s.SKUs), Categories: slices.Clone(s.Categories), Brands: slices.Clone(s.Brands),
		ExcludeSKUs: slices.Clone(s.ExcludeSKUs), ExcludeTags: slices.Clone(s.ExcludeTags)}
}

func cloneWhen(w When) When {
	w.Channels, w.Stores, w.Tiers, w.DaysOfMonth = slices.Clone(w.Channels), slices.Clone(w.Stores), slices.Clone(w.Tiers), slices.Clone(w.DaysOfMonth)
	return w
}

// compile turns a validated offer into integers.
func compile(o *Offer, scale int32, src Source, order int) cOffer {
	c := cOffer{o: o, src: src, order: order, bit: -1}
	c.minSpend, _ = scaled(o.MinSpend, scale)
	c.threshold, _ = scaled(o.Threshold, scale)
	c.amount, _ = scaled(o.Amount, scale)
	c.maxDiscount, _ = scaled(o.MaxDiscount, scale)
	c.pct, _ = scaled(o.Percent, percentScale)
	if o.Kind == KindBuyXGetY && c.pct == 0 {
		c.pct = 100 * 100
	}
	for _, d := range o.When.DaysOfMonth {
		c.days |= 1 << d
	}
	sc := &o.Scope
	c.everyLine = len(sc.SKUs)+len(sc.Categories)+len(sc.Brands)+len(sc.ExcludeSKUs)+len(sc.ExcludeTags) == 0
	return c
}

// line is a basket line inside the engine.
type line struct {
	qty                int64 // millionths
	price, memberPrice int64 // minor units
	gross              int64 // minor units: quantity × unit price, rounded half up
	// rem is what discounts may still take: it starts at quantity × unit
	// price rounded down, so a line discounted in full never has a
	// discount above its exact gross (customer.ValidatePurchase's rule).
	// extra is the rounded-up minor unit a fractional quantity may add.
	rem, extra int64
}

// cost is what the line costs now.
func (l line) cost() int64 { return l.rem + l.extra }

// pricer is the state of one Price call.
type pricer struct {
	e     *Engine
	b     Basket // a copy: a pointer to Price's argument would move it to the heap
	lines []line
	// in[:sel] lists the lines an offer works on (in its scope, with
	// something left), ascending; w and out run parallel to it. in and w
	// are as long as lines and only sel changes: storing a slice into the
	// pricer costs a write barrier while the collector runs, a length
	// does not.
	in      []int32
	w       []int64 // weights of an allocation
	sel     int
	out     []int64  // spread: each listed line's share's index in shares, or -1
	keys    []uint64 // len(lines): sort keys of units and spread
	idx     []int32  // len(lines): positions in in, dearest unit first (units)
	shares  []share
	decs    []Decision
	amount  []int64 // per decision, minor units
	order   []*cOffer
	coupons []cOffer
	masks   []uint64 // per line, the promotions whose scope holds it (scopeIndex)
	sets    []uint64 // per promotion, the lines its scope holds (scopeIndex.lineSets)
	setW    int      // words per line set
	tags    int      // the basket's tags, counted by check

	anyApplied    bool
	exclusiveBy   string
	couponApplied string
	couponBlockBy string
}

// Price prices a basket. It fails only on invalid input (ErrInvalid, with
// every problem) or amounts beyond the engine's limits; an offer that
// does not apply is a Decision with its Reason, never an error.
func (e *Engine) Price(b Basket) (Result, error) {
	p := e.newPricer(&b)
	defer func() {
		// Keep no basket alive in the pool.
		clear(p.coupons) // they point into the basket's coupons
		p.b, p.order, p.coupons, p.decs = Basket{}, p.order[:0], p.coupons[:0], nil
		e.pool.Put(p)
	}()
	coupons, err := e.check(&p.b, p)
	if err != nil {
		return Result{}, err
	}
	var sum int64
	memberPrices := false
	for i := range p.lines {
		l := &p.lines[i]
		g, fl, ok := ofQuantity(l.qty, l.price)
		sum += g
		if !ok || sum > factlimit.MaxAmountMinor {
			return Result{}, fields.New("basket.items", "the basket's gross amount is beyond the engine's limits")
		}
		l.gross, l.rem, l.extra = g, fl, g-fl
		memberPrices = memberPrices || (l.memberPrice > 0 && l.memberPrice < l.price)
	}
	// The Result's decisions, one per offer and one each for member prices
	// and the tier discount when the basket has them: sized exactly, 24
	// decisions fit a smaller size class than 25.
	decisions := len(e.promos) + len(coupons)
	if memberPrices {
		decisions++
	}
	if b.Member != nil && b.Member.TierDiscount.Sign() > 0 {
		decisions++
	}
	p.decs = make([]Decision, 0, decisions)
	p.masks = e.scopes.masks(b.Items, p.masks)
	p.sets, p.setW = e.scopes.lineSets(p.masks, len(b.Items), p.sets)
	p.memberPrices()
	p.tierDiscount()
	// Promotions are in order already; the few coupons are sorted and
	// merged in, a promotion first at equal priority.
	slices.SortStableFunc(coupons, func(a, b cOffer) int { return cmp.Compare(b.o.Priority, a.o.Priority) })
	order := p.order[:0]
	j := 0
	for i := range e.promos {
		for j < len(coupons) && coupons[j].o.Priority > e.promos[i].o.Priority {
			order = append(order, &coupons[j])
			j++
		}
		order = append(order, &e.promos[i])
	}
	for ; j < len(coupons); j++ {
		order = append(order, &coupons[j])
	}
	p.order = order
	local := b.Time.In(e.loc)
	for k, o := range order {
		p.offer(o, local, order[:k])
	}
	return p.result(), nil
}

// newPricer takes scratch space from the pool, sized for b. Only the
// Result's own slices are allocated per call: pooling the rest halved
// the time of a 50-line basket, most of it the collector's. The scratch
// slices are resized in place, field by field: a reslice stored back
// where it came from writes no pointer, where rebuilding the pricer
// whole went through the collector's bulk barrier. Every field is set
// here (TestResetSetsEveryField).
func (e *Engine) newPricer(b *Basket) *pricer {
	p, _ := e.pool.Get().(*pricer)
	if p == nil {
		p = &pricer{}
	}
	p.reset(e, b)
	return p
}

// reset readies p, used or new, to price b.
func (p *pricer) reset(e *Engine, b *Basket) {
	n := len(b.Items)
	offers := len(e.promos) + len(b.Coupons) + 2
	p.e, p.b = e, *b
	regrow(&p.lines, n)
	regrow(&p.in, n)
	regrow(&p.w, n)
	regrow(&p.out, n)
	regrow(&p.keys, n)
	regrow(&p.idx, n)
	regrow(&p.amount, offers)
	regrow(&p.order, offers)
	regrow(&p.coupons, len(b.Coupons))
	p.amount, p.order = p.amount[:0], p.order[:0]
	p.shares, p.masks, p.sets = p.shares[:0], p.masks[:0], p.sets[:0]
	p.decs = nil // made by Price once the basket is checked
	p.sel, p.setW, p.tags = 0, 0, 0
	p.anyApplied, p.exclusiveBy, p.couponApplied, p.couponBlockBy = false, "", "", ""
}

// regrow resizes *s to n in place, cleared.
func regrow[T any](s *[]T, n int) {
	if cap(*s) < n {
		*s = make([]T, n)
		return
	}
	*s = (*s)[:n]
	clear(*s)
}

// grow returns s resized to n, cleared.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// check validates the basket and compiles its coupons.
func (e *Engine) check(b *Basket, p *pricer) ([]cOffer, error) {
	fe := fields.List()
	if b.Currency != e.currency {
		fe.Add("basket.currency", "must be the rules' currency")
	}
	switch b.Channel {
	case customer.ChannelInStore, customer.ChannelOnline, customer.ChannelApp, customer.ChannelMiniProgram:
	default:
		fe.Add("basket.channel", "must be in-store, online, app or mini-program")
	}
	if !id(b.Store) {
		fe.Add("basket.store", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if b.Time.IsZero() || b.Time.Year() < 1850 || b.Time.Year() > 2199 {
		fe.Add("basket.time", "required, between 1850 and 2199")
	}
	switch {
	case len(b.Items) == 0:
		fe.Add("basket.items", "at least one item is required")
	case len(b.Items) > factlimit.MaxLines:
		fe.Add("basket.items", "at most %d items", factlimit.MaxLines)
	}
	tags := 0
	for i := range b.Items {
		checkItem(fe, i, &b.Items[i], e.scale, &p.lines[i])
		tags += len(b.Items[i].Tags)
	}
	p.tags = tags
	if m := b.Member; m != nil {
		if !id(m.ID) {
			fe.Add("basket.member.id", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
		}
		if !label(m.Tier, maxName) {
			fe.Add("basket.member.tier", "at most %d bytes of valid UTF-8 without control characters", maxName)
		}
		if v, ok := scaled(m.TierDiscount, percentScale); !ok || v < 0 || v > 100*100 {
			fe.Add("basket.member.tierDiscount", "must be between 0 and 100 with at most two decimals")
		}
	}
	if len(b.Coupons) > maxCoupons {
		fe.Add("basket.coupons", "at most %d coupons", maxCoupons)
	}
	coupons := p.coupons
	for i := range b.Coupons {
		c := &b.Coupons[i]
		path := "basket.coupons[" + strconv.Itoa(i) + "]"
		if !id(c.Ref) {
			fe.Add(path+".ref", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
		}
		if c.Refused == "" {
			validateOffer(fe, path+".offer", c.Offer, e.scale, true)
		}
		coupons[i] = compile(&c.Offer, e.scale, SourceCoupon, i)
		coupons[i].ref, coupons[i].refused = c.Ref, c.Refused
	}
	return coupons, fe.Err()
}

// checkItem validates one basket item; its field paths are built only
// for a problem, since a valid basket of 50 items would otherwise make a
// hundred strings.
func checkItem(fe *fielderr.List, i int, it *Item, scale int32, l *line) {
	path := func(f string) string { return "basket.items[" + strconv.Itoa(i) + "]." + f }
	if !id(it.SKU) {
		fe.Add(path("sku"), "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	// Tested one by one: a loop over a list of the three built the list
	// for every item.
	if !label(it.Name, maxName) || !label(it.Category, maxName) || !label(it.Brand, maxName) {
		for _, f := range [...]struct{ name, v string }{{"name", it.Name}, {"category", it.Category}, {"brand", it.Brand}} {
			if !label(f.v, maxName) {
				fe.Add(path(f.name), "at most %d bytes of valid UTF-8 without control characters", maxName)
			}
		}
	}
	if len(it.Tags) > 0 && !tagsValid(it.Tags) {
		labels(fe, path("tags"), "", it.Tags) // the path built only for a problem
	}
	var ok bool
	if l.qty, ok = quantityOf(it.Quantity); !ok || l.qty <= 0 {
		fe.Add(path("quantity"), "must be positive, with at most %d decimals, at most %d", factlimit.QuantityScale, int64(factlimit.MaxQuantity))
	}
	if l.price, ok = amountOf(it.UnitPrice, scale); !ok || l.price < 0 {
		fe.Add(path("unitPrice"), "must be a non-negative amount exact in the currency's minor unit")
	}
	if l.memberPrice, ok = amountOf(it.MemberPrice, scale); !ok || l.memberPrice < 0 {
		fe.Add(path("memberPrice"), "must be a non-negative amount exact in the currency's minor unit")
	}
}

// tagsValid reports whether labels would find nothing wrong with tags.
func tagsValid(tags []string) bool {
	if len(tags) > maxScope {
		return false
	}
	for _, t := range tags {
		if t == "" || !label(t, maxName) {
			return false
		}
	}
	return true
}

// memberPrices books the member-price saving of every item that has one.
func (p *pricer) memberPrices() {
	var d int
	has := false
	for i := range p.lines {
		mp, lp := p.lines[i].memberPrice, p.lines[i].price
		if mp <= 0 || mp >= lp {
			continue
		}
		if !has {
			has = true
			d = p.decision("member-price", "", "", SourceMemberPrice, "")
			if p.b.Member == nil {
				p.decs[d].Reason = ReasonMembersOnly
				return
			}
		}
		mg, _, _ := ofQuantity(p.lines[i].qty, mp)
		p.book(i, d, min(p.lines[i].gross-mg, p.lines[i].rem))
	}
	if has {
		p.decs[d].Applied = p.amount[d] > 0
		if !p.decs[d].Applied {
			p.decs[d].Reason = ReasonNothingOff
		}
	}
}

// tierDiscount takes the member's tier discount off the lines without a
// member price.
func (p *pricer) tierDiscount() {
	m := p.b.Member
	if m == nil || m.TierDiscount.Sign() <= 0 {
		return
	}
	pct, _ := scaled(m.TierDiscount, percentScale)
	d := p.decision("tier:"+m.Tier, m.Tier, "", SourceTier, "")
	var base int64
	in, w := p.in[:len(p.lines)], p.w[:len(p.lines)]
	n := 0
	for i := range p.lines {
		if l := &p.lines[i]; (l.memberPrice <= 0 || l.memberPrice >= l.price) && l.rem > 0 {
			in[n], w[n] = int32(i), l.rem
			n++
			base += l.rem
		}
	}
	p.sel = n
	off, _ := percentOf(base, pct)
	p.spread(d, off, base)
}

// offer decides one promotion or coupon; before are the offers decided
// before it.
func (p *pricer) offer(o *cOffer, local time.Time, before []*cOffer) {
	d := p.decision(o.o.ID, o.o.Name, o.o.Kind, o.src, o.ref)
	dec := &p.decs[d]
	if o.refused != "" {
		dec.Reason = o.refused
		return
	}
	if o.src == SourceCoupon {
		for _, b := range before {
			// The same Ref and offer: the same coupon (a Ref alone, a
			// masked code, may be shared by two codes of other offers).
			if b.src == SourceCoupon && b.ref == o.ref && b.o.ID == o.o.ID {
				dec.Reason = ReasonPresented
				return
			}
		}
	}
	if r := p.when(o, local); r != "" {
		dec.Reason = r
		return
	}
	switch {
	case p.exclusiveBy != "":
		dec.Reason, dec.By = ReasonExcluded, p.exclusiveBy
		return
	case o.o.Stacking == StackExclusive && p.anyApplied:
		dec.Reason = ReasonExclusive
		return
	case o.src == SourceCoupon && p.couponBlockBy != "":
		dec.Reason, dec.By = ReasonOtherCoupon, p.couponBlockBy
		return
	case o.o.Stacking == StackNoOtherCoupons && p.couponApplied != "":
		dec.Reason, dec.By = ReasonOtherCoupon, p.couponApplied
		return
	}
	inScope, base, room := p.selectLines(o)
	switch {
	case !inScope:
		dec.Reason = ReasonNoLines
		return
	case base < o.minSpend:
		dec.Reason, dec.v = ReasonMinSpend, o.minSpend-base
		return
	case o.o.Kind == KindSpendSave && base < o.threshold:
		dec.Reason, dec.v = ReasonMinSpend, o.threshold-base
		return
	}
	off, total := p.compute(o, base, room)
	if o.maxDiscount > 0 {
		off = min(off, o.maxDiscount)
	}
	if off <= 0 {
		dec.Reason = ReasonNothingOff
		return
	}
	p.spread(d, off, total)
	p.anyApplied = true
	if o.o.Stacking == StackExclusive {
		p.exclusiveBy = o.o.ID
	}
	if o.src == SourceCoupon && p.couponApplied == "" {
		p.couponApplied = o.ref
	}
	if o.o.Stacking == StackNoOtherCoupons && p.couponBlockBy == "" {
		p.couponBlockBy = o.ref // a coupon's Ref
		if o.src == SourcePromotion {
			p.couponBlockBy = o.o.ID
		}
	}
}

// selectLines lists in p.in the lines of o's scope that discounts may
// still take something of, with what each has left as its weight in p.w
// (the weights of an offer over the scope's amount). It reports whether
// any line is in the scope, what the listed lines cost, and what
// discounts may still take of them. A promotion with a scope walks only
// its line set.
func (p *pricer) selectLines(o *cOffer) (inScope bool, base, room int64) {
	// Written by index into locals sized for every line and stored once:
	// an append to the pricer's own fields costs a write barrier while
	// the collector runs, and a capacity check per line.
	lines := p.lines
	in, w := p.in[:len(lines)], p.w[:len(lines)]
	n := 0
	add := func(i int) {
		if l := &lines[i]; l.rem > 0 {
			in[n], w[n] = int32(i), l.rem
			n++
			base += l.rem + l.extra
			room += l.rem
		}
	}
	switch {
	case o.everyLine:
		inScope = true
		for i := range lines {
			add(i)
		}
	case o.bit >= 0:
		for k, m := range p.sets[o.bit*p.setW : (o.bit+1)*p.setW] {
			inScope = inScope || m != 0
			for ; m != 0; m &= m - 1 {
				add(k*64 + bits.TrailingZeros64(m))
			}
		}
	default:
		for i := range lines {
			if inScopeOf(&o.o.Scope, &p.b.Items[i]) {
				inScope = true
				add(i)
			}
		}
	}
	p.sel = n
	return inScope, base, room
}

// when checks an offer's conditions on the sale.
func (p *pricer) when(o *cOffer, local time.Time) Reason {
	w := &o.o.When
	b := &p.b
	switch {
	case len(w.Channels) > 0 && !slices.Contains(w.Channels, b.Channel):
		return ReasonChannel
	case len(w.Stores) > 0 && !slices.Contains(w.Stores, b.Store):
		return ReasonStore
	case !w.From.IsZero() && b.Time.Before(w.From):
		return ReasonNotYet
	case !w.Until.IsZero() && !b.Time.Before(w.Until):
		return ReasonExpired
	case (w.MembersOnly || o.o.Kind == KindMemberDay || len(w.Tiers) > 0) && b.Member == nil:
		return ReasonMembersOnly
	case len(w.Tiers) > 0 && !slices.Contains(w.Tiers, b.Member.Tier):
		return ReasonTier
	case o.days != 0 && o.days&(1<<local.Day()) == 0:
		return ReasonDay
	}
	return ""
}

// inScopeOf reports whether an item is in an offer's scope.
func inScopeOf(s *Scope, it *Item) bool {
	if len(s.SKUs)+len(s.Categories)+len(s.Brands) > 0 &&
		!slices.Contains(s.SKUs, it.SKU) && !slices.Contains(s.Categories, it.Category) && !slices.Contains(s.Brands, it.Brand) {
		return false
	}
	if slices.Contains(s.ExcludeSKUs, it.SKU) {
		return false
	}
	for _, t := range s.ExcludeTags {
		if slices.Contains(it.Tags, t) {
			return false
		}
	}
	return true
}

// compute returns the discount of an offer on the selected lines (base is
// what they cost now, room what discounts may still take of them) and
// the sum of the allocation weights in p.w: what each selected line has
// left, as selectLines set them (their sum is room), or the units'
// values for the unit kinds.
func (p *pricer) compute(o *cOffer, base, room int64) (int64, int64) {
	switch o.o.Kind {
	case KindSpendSave:
		times := int64(1)
		if o.o.Repeat {
			times = base / o.threshold
		}
		off, ok := mulDivRound(times, o.amount, 1)
		if !ok {
			return room, room
		}
		return min(off, room), room
	case KindAmountOff:
		return min(o.amount, room), room
	case KindPercentOff, KindMemberDay:
		off, _ := percentOf(room, o.pct)
		return off, room
	case KindNForPrice:
		return p.nForPrice(o)
	case KindBuyXGetY:
		off := p.buyXGetY(o)
		return off, off // the weights are the discounted units' values
	}
	return 0, room
}

// units orders the listed lines sold in whole units, dearest unit
// first (by what a unit costs now in whole minor units, ties to the
// earlier line), as positions in p.in, in p.idx, and returns their units.
func (p *pricer) units() (idx []int32, total int64) {
	// Written by index into scratch sized for every line, never stored
	// back: an append checks capacity, and a store into the pricer costs a
	// write barrier while the collector runs.
	keys := p.keys[:p.sel]
	n := 0
	for k, i := range p.in[:p.sel] {
		l := &p.lines[i]
		if l.qty%1_000_000 != 0 {
			continue
		}
		u := l.qty / 1_000_000
		total += u
		// One integer sort key per line: the unit value (< 2^40, as every
		// amount is at most factlimit.MaxAmountMinor) inverted so the
		// dearest sorts first, then the line's position (< 2^11, and in
		// the order of the lines). A comparison closure doing 128-bit
		// cross-multiplications took twice as long.
		unit := l.rem
		if u != 1 {
			unit = int64(divideBy(u, uint64(unit)))
		}
		keys[n] = (uint64(1<<40)-1-uint64(unit))<<11 | uint64(k)
		n++
	}
	keys = keys[:n]
	slices.Sort(keys)
	idx = p.idx[:n]
	for j, k := range keys {
		idx[j] = int32(k & (1<<11 - 1))
	}
	return idx, total
}

// nForPrice groups the dearest units N at a time; the discount is what
// the grouped units cost now less N-for-price per group, spread over
// their lines in proportion to their grouped value.
func (p *pricer) nForPrice(o *cOffer) (off, value int64) {
	idx, total := p.units()
	w, in := p.w[:p.sel], p.in[:p.sel]
	clear(w)
	groups := total / int64(o.o.N)
	left := groups * int64(o.o.N)
	for _, k := range idx {
		l := &p.lines[in[k]]
		u := l.qty / 1_000_000
		take := min(u, left)
		if take == 0 {
			break // every unit after is ungrouped (w is cleared)
		}
		left -= take
		w[k] = l.rem // every unit of the line grouped: no division
		if take < u {
			w[k], _ = ofUnits(l.rem, take, u)
		}
		value += w[k]
	}
	price, ok := mulDivRound(groups, o.amount, 1)
	if !ok || price >= value {
		return 0, value
	}
	return value - price, value
}

// buyXGetY walks the units dearest first in groups of Buy+Get; the last
// Get units of each full group are discounted by Percent.
func (p *pricer) buyXGetY(o *cOffer) int64 {
	idx, total := p.units()
	w, in := p.w[:p.sel], p.in[:p.sel]
	clear(w)
	size := int64(o.o.Buy + o.o.Get)
	full := total / size * size
	// Units are counted in groups by a reciprocal: four divisions by
	// size per line were most of this loop's time.
	groups := newDivisor(uint64(size))
	var pos, off int64
	for _, k := range idx {
		l := &p.lines[in[k]]
		u := l.qty / 1_000_000
		// Units pos .. pos+u-1; unit k is discounted when k < full and
		// k%size >= Buy.
		end := min(pos+u, full)
		free := max(discounted(end, groups, int64(o.o.Buy))-discounted(min(pos, full), groups, int64(o.o.Buy)), 0)
		pos += u
		if free == 0 {
			continue // no share of the discount (w[k] is cleared)
		}
		v := l.rem // every unit of the line discounted: no division
		if free < u {
			v, _ = ofUnits(l.rem, free, u)
		}
		w[k], _ = percentOf(v, o.pct)
		off += w[k]
	}
	return off
}

// discounted counts the units k in [0, x) with k%size >= buy, for x ≥ 0
// and size the divisor's.
func discounted(x int64, size divisor, buy int64) int64 {
	q, r := size.divmod(uint64(x))
	return int64(q)*(int64(size.d)-buy) + max(int64(r)-buy, 0)
}

// spread allocates off over the lines listed in p.in in proportion to
// p.w by the largest-remainder method and books the shares to decision
// d: each line's share is floor(off × w / Σw), and the minor units those
// floors leave over go one each to the lines with the largest remainders,
// the earlier line first among equal remainders. The shares sum to off
// exactly (at most Σw) and none exceeds its weight. total is Σw, which
// every caller has at hand (another pass over the weights was a thirtieth
// of the allocation), and at most factlimit.MaxAmountMinor (< 2^40).
//
// The floors are booked as they are computed and a leftover unit is
// added to its line's share where it has one (a decision's shares need
// no order among lines: a line has one share per decision): one pass
// over the lines, where an allocation into scratch and a booking pass
// after it were a fifth of pricing's time with every offer on every line.
// TestSpreadAgreesWithTheDefinition holds it to the definition.
func (p *pricer) spread(d int, off, total int64) {
	off = min(off, total)
	if off > 0 && off == total {
		// Every weight given in full (buy X get Y's units, a cash coupon
		// worth more than the scope): no division, nothing left over.
		shares, lines, in := p.shares, p.lines, p.in[:p.sel]
		for k, v := range p.w[:p.sel] {
			if v > 0 {
				i := in[k]
				lines[i].rem -= v
				shares = append(shares, newShare(int(i), d, v))
			}
		}
		p.keepShares(shares)
		p.amount[d] += off
	} else if off > 0 {
		w, in, at := p.w[:p.sel], p.in[:p.sel], p.out[:p.sel] // at: each line's share's index, or -1
		shares, lines, keys := p.shares, p.lines, p.keys[:p.sel]
		div := newDivisor(uint64(total))
		var given int64
		n := 0 // keys written
		for k, v := range w {
			if v <= 0 {
				continue
			}
			var q, r uint64
			if hi, lo := bits.Mul64(uint64(off), uint64(v)); hi == 0 {
				q, r = div.divmod(lo)
			} else {
				q, r = bits.Div64(hi, lo, uint64(total)) // hi < total: off ≤ total
			}
			// Sort key: the largest remainder first, then the earlier
			// line. r < total < 2^40 and k < 2^11, so the key fits 51
			// bits and one integer comparison orders it.
			keys[n] = (uint64(1<<40)-1-r)<<11 | uint64(k)
			n++
			at[k] = -1
			if q > 0 {
				i := in[k]
				lines[i].rem -= int64(q)
				given += int64(q)
				at[k] = int64(len(shares))
				shares = append(shares, newShare(int(i), d, int64(q)))
			}
		}
		if left := off - given; left > 0 {
			keys = keys[:n]
			smallest(keys, int(left))
			for _, key := range keys[:left] {
				k := key & (1<<11 - 1)
				i := in[k]
				lines[i].rem--
				if at[k] >= 0 {
					shares[at[k]] = shares[at[k]].plus(1)
				} else {
					shares = append(shares, newShare(int(i), d, 1))
				}
			}
		}
		p.keepShares(shares)
		p.amount[d] += off
	}
	p.decs[d].Applied = p.amount[d] > 0
	if !p.decs[d].Applied && p.decs[d].Reason == "" {
		p.decs[d].Reason = ReasonNothingOff
	}
}

// keepShares stores shares, appended to from p.shares, back: by
// reslicing where the appends kept the array, which writes no pointer.
func (p *pricer) keepShares(shares []share) {
	if cap(shares) == cap(p.shares) {
		p.shares = p.shares[:len(shares)]
		return
	}
	p.shares = shares
}

// decision adds a decision on an offer and returns its index. Its fields
// are written one by one into the (zeroed) next element: appending a
// whole Decision copies it with the collector's bulk barrier, a
// twentieth of pricing's time while the collector runs.
func (p *pricer) decision(offer, name string, kind Kind, src Source, coupon string) int {
	n := len(p.decs)
	if n == cap(p.decs) {
		p.decs = append(p.decs, Decision{}) // not reached: Price makes room for every decision
	} else {
		p.decs = p.decs[:n+1]
	}
	d := &p.decs[n]
	d.Offer, d.Name, d.Kind, d.Source, d.Coupon = offer, name, kind, src, coupon
	p.amount = append(p.amount, 0)
	return n
}

func (p *pricer) book(line, d int, v int64) {
	if v <= 0 {
		return
	}
	p.lines[line].rem -= v
	p.amount[d] += v
	p.shares = append(p.shares, newShare(line, d, v))
}

// copyItem copies src into the zero dst field by field, its tags into
// tags, the space left for them, and returns what is left after them:
// copying the struct whole goes through the collector's bulk barrier,
// which was a tenth of pricing's time while the collector ran, and one
// backing array for every line's tags is one allocation, not one per
// tagged line. Each line's tags are capped at their own length, so an
// append to one never writes into the next. TestCopyItemCopiesEveryField
// fails when Item gains a field this does not copy.
func copyItem(dst, src *Item, tags []string) []string {
	dst.SKU, dst.Name, dst.Category, dst.Brand = src.SKU, src.Name, src.Category, src.Brand
	dst.Quantity, dst.UnitPrice, dst.MemberPrice = src.Quantity, src.UnitPrice, src.MemberPrice
	switch {
	case len(src.Tags) > 0:
		n := copy(tags, src.Tags)
		dst.Tags, tags = tags[:n:n], tags[n:]
	case src.Tags != nil:
		dst.Tags = src.Tags[:0:0] // empty, not nil, as slices.Clone gives
	}
	return tags
}

// result turns the integers back into decimals.
func (p *pricer) result() Result {
	e, b := p.e, &p.b
	r := Result{Currency: b.Currency, Store: b.Store, Channel: b.Channel, Time: b.Time, Lines: make([]Line, len(p.lines), lineCapacity(len(p.lines))),
		Decisions: p.decs, runs: len(p.decs), scale: e.scale}
	r.packed, r.wide = packShares(p.shares, len(p.decs))
	if b.Member != nil {
		r.MemberID = b.Member.ID
	}
	var gross, disc int64
	var tags []string
	if p.tags > 0 {
		tags = make([]string, p.tags)
	}
	for i, l := range p.lines {
		ln := &r.Lines[i]
		tags = copyItem(&ln.Item, &b.Items[i], tags)
		ln.gross, ln.discount, ln.scale = l.gross, l.gross-l.cost(), e.scale
		gross += l.gross
		disc += l.gross - l.cost()
	}
	for i := range r.Decisions {
		if d := &r.Decisions[i]; d.Applied {
			d.v = p.amount[i]
		}
		r.Decisions[i].scale = e.scale
	}
	r.Gross, r.Discount, r.Total = decimalOf(gross, e.scale), decimalOf(disc, e.scale), decimalOf(gross-disc, e.scale)
	return r
}
