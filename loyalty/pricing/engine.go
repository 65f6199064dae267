package pricing

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/shopspring/decimal"
)

// Engine prices baskets under one set of rules. It is immutable and safe
// for concurrent use.
type Engine struct {
	currency string
	scale    int32
	loc      *time.Location
	promos   []cOffer
}

// cOffer is an offer compiled to integers: amounts in minor units,
// percentages in hundredths of a percent, days of the month as a mask.
type cOffer struct {
	o       *Offer
	src     Source
	order   int // position among its source's offers
	ref     string
	refused Reason

	minSpend, threshold, amount, maxDiscount, pct int64
	days                                          uint32
}

// NewEngine validates and compiles rules; calendar conditions (days of
// the month) are read in loc.
func NewEngine(r Rules, loc *time.Location) (*Engine, error) {
	err := r.Validate()
	if loc == nil {
		err = errors.Join(err, &FieldError{Field: "location", Problem: "a time zone is required for member days"})
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
	c := cOffer{o: o, src: src, order: order}
	c.minSpend, _ = factlimit.Scaled(o.MinSpend, scale)
	c.threshold, _ = factlimit.Scaled(o.Threshold, scale)
	c.amount, _ = factlimit.Scaled(o.Amount, scale)
	c.maxDiscount, _ = factlimit.Scaled(o.MaxDiscount, scale)
	c.pct, _ = factlimit.Scaled(o.Percent, percentScale)
	if o.Kind == KindBuyXGetY && c.pct == 0 {
		c.pct = 100 * 100
	}
	for _, d := range o.When.DaysOfMonth {
		c.days |= 1 << d
	}
	return c
}

// line is a basket line inside the engine.
type line struct {
	qty   int64 // millionths
	gross int64 // minor units: quantity × unit price, rounded half up
	// rem is what discounts may still take: it starts at quantity × unit
	// price rounded down, so a line discounted in full never has a
	// discount above its exact gross (customer.ValidatePurchase's rule).
	// extra is the rounded-up minor unit a fractional quantity may add.
	rem, extra int64
}

// cost is what the line costs now.
func (l line) cost() int64 { return l.rem + l.extra }

// share is one offer's part of one line's discount.
type share struct {
	line, decision int
	amount         int64
}

// pricer is the state of one Price call.
type pricer struct {
	e      *Engine
	b      *Basket
	lines  []line
	sel    []bool
	w      []int64 // weights of an allocation
	out    []int64 // an allocation's shares
	keys   []uint64
	idx    []int
	shares []share
	decs   []Decision
	amount []int64 // per decision, minor units

	anyApplied    bool
	exclusiveBy   string
	couponApplied string
	couponBlockBy string
}

// Price prices a basket. It fails only on invalid input (ErrInvalid, with
// every problem) or amounts beyond the engine's limits; an offer that
// does not apply is a Decision with its Reason, never an error.
func (e *Engine) Price(b Basket) (Result, error) {
	coupons, err := e.check(&b)
	if err != nil {
		return Result{}, err
	}
	n := len(b.Items)
	p := &pricer{e: e, b: &b, lines: make([]line, n), sel: make([]bool, n), w: make([]int64, n),
		out: make([]int64, n), keys: make([]uint64, 0, n), idx: make([]int, 0, n), shares: make([]share, 0, 4*n)}
	var sum int64
	for i, it := range b.Items {
		q, _ := factlimit.Quantity(it.Quantity)
		price, _ := factlimit.Scaled(it.UnitPrice, e.scale)
		g, ok := mulDivRound(q, price, 1_000_000)
		fl, _ := mulDivFloor(q, price, 1_000_000)
		sum += g
		if !ok || sum > factlimit.MaxAmountMinor {
			return Result{}, &FieldError{Field: "basket.items", Problem: "the basket's gross amount is beyond the engine's limits"}
		}
		p.lines[i] = line{qty: q, gross: g, rem: fl, extra: g - fl}
	}
	p.memberPrices()
	p.tierDiscount()
	offers := make([]*cOffer, 0, len(e.promos)+len(coupons))
	for i := range e.promos {
		offers = append(offers, &e.promos[i])
	}
	for i := range coupons {
		offers = append(offers, &coupons[i])
	}
	slices.SortStableFunc(offers, func(a, b *cOffer) int {
		if c := cmp.Compare(b.o.Priority, a.o.Priority); c != 0 {
			return c
		}
		if a.src != b.src {
			if a.src == SourcePromotion {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.order, b.order)
	})
	local := b.Time.In(e.loc)
	for k, o := range offers {
		p.offer(o, local, offers[:k])
	}
	return p.result(), nil
}

// check validates the basket and compiles its coupons.
func (e *Engine) check(b *Basket) ([]cOffer, error) {
	var fe fieldErrors
	if b.Currency != e.currency {
		fe.add("basket.currency", "must be the rules' currency")
	}
	switch b.Channel {
	case customer.ChannelInStore, customer.ChannelOnline, customer.ChannelApp, customer.ChannelMiniProgram:
	default:
		fe.add("basket.channel", "must be in-store, online, app or mini-program")
	}
	if !textcheck.ID(b.Store) {
		fe.add("basket.store", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if b.Time.IsZero() || b.Time.Year() < 1850 || b.Time.Year() > 2199 {
		fe.add("basket.time", "required, between 1850 and 2199")
	}
	switch {
	case len(b.Items) == 0:
		fe.add("basket.items", "at least one item is required")
	case len(b.Items) > factlimit.MaxLines:
		fe.add("basket.items", "at most %d items", factlimit.MaxLines)
	}
	for i, it := range b.Items {
		path := "basket.items[" + strconv.Itoa(i) + "]"
		if !textcheck.ID(it.SKU) {
			fe.add(path+".sku", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
		}
		for _, f := range []struct{ name, v string }{{".name", it.Name}, {".category", it.Category}, {".brand", it.Brand}} {
			if !textcheck.Label(f.v, maxName) {
				fe.add(path+f.name, "at most %d bytes of valid UTF-8 without control characters", maxName)
			}
		}
		labels(&fe, path+".tags", it.Tags)
		if q, ok := factlimit.Quantity(it.Quantity); !ok || q <= 0 {
			fe.add(path+".quantity", "must be positive, with at most %d decimals, at most %d", factlimit.QuantityScale, int64(factlimit.MaxQuantity))
		}
		for _, f := range []struct {
			name string
			v    decimal.Decimal
		}{{".unitPrice", it.UnitPrice}, {".memberPrice", it.MemberPrice}} {
			if v, ok := factlimit.Amount(f.v, e.scale); !ok || v < 0 {
				fe.add(path+f.name, "must be a non-negative amount exact in the currency's minor unit")
			}
		}
	}
	if m := b.Member; m != nil {
		if !textcheck.ID(m.ID) {
			fe.add("basket.member.id", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
		}
		if !textcheck.Label(m.Tier, maxName) {
			fe.add("basket.member.tier", "at most %d bytes of valid UTF-8 without control characters", maxName)
		}
		if v, ok := factlimit.Scaled(m.TierDiscount, percentScale); !ok || v < 0 || v > 100*100 {
			fe.add("basket.member.tierDiscount", "must be between 0 and 100 with at most two decimals")
		}
	}
	if len(b.Coupons) > maxCoupons {
		fe.add("basket.coupons", "at most %d coupons", maxCoupons)
	}
	coupons := make([]cOffer, len(b.Coupons))
	for i := range b.Coupons {
		c := &b.Coupons[i]
		path := "basket.coupons[" + strconv.Itoa(i) + "]"
		if !textcheck.ID(c.Ref) {
			fe.add(path+".ref", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
		}
		if c.Refused == "" {
			validateOffer(&fe, path+".offer", c.Offer, e.scale, true)
		}
		coupons[i] = compile(&c.Offer, e.scale, SourceCoupon, i)
		coupons[i].ref, coupons[i].refused = c.Ref, c.Refused
	}
	return coupons, fe.err()
}

// memberPrices books the member-price saving of every item that has one.
func (p *pricer) memberPrices() {
	var d int
	has := false
	for i, it := range p.b.Items {
		mp, _ := factlimit.Scaled(it.MemberPrice, p.e.scale)
		lp, _ := factlimit.Scaled(it.UnitPrice, p.e.scale)
		if mp <= 0 || mp >= lp {
			continue
		}
		if !has {
			has = true
			d = p.decision(Decision{Offer: "member-price", Source: SourceMemberPrice})
			if p.b.Member == nil {
				p.decs[d].Reason = ReasonMembersOnly
				return
			}
		}
		mg, _ := mulDivRound(p.lines[i].qty, mp, 1_000_000)
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
	pct, _ := factlimit.Scaled(m.TierDiscount, percentScale)
	d := p.decision(Decision{Offer: "tier:" + m.Tier, Name: m.Tier, Source: SourceTier})
	var base int64
	for i, it := range p.b.Items {
		mp, _ := factlimit.Scaled(it.MemberPrice, p.e.scale)
		lp, _ := factlimit.Scaled(it.UnitPrice, p.e.scale)
		p.w[i] = 0
		if mp <= 0 || mp >= lp {
			p.w[i] = p.lines[i].rem
			base += p.w[i]
		}
	}
	off, _ := mulDivRound(base, pct, 100*100)
	p.spread(d, off)
}

// offer decides one promotion or coupon; before are the offers decided
// before it.
func (p *pricer) offer(o *cOffer, local time.Time, before []*cOffer) {
	d := p.decision(Decision{Offer: o.o.ID, Name: o.o.Name, Kind: o.o.Kind, Source: o.src, Coupon: o.ref})
	dec := &p.decs[d]
	if o.refused != "" {
		dec.Reason = o.refused
		return
	}
	if o.src == SourceCoupon {
		for _, b := range before {
			if b.src == SourceCoupon && b.ref == o.ref {
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
	case o.src == SourceCoupon && o.o.Stacking == StackNoOtherCoupons && p.couponApplied != "":
		dec.Reason, dec.By = ReasonOtherCoupon, p.couponApplied
		return
	}
	var base, room int64 // what the scope costs, and what discounts may still take of it
	inScope := false
	for i := range p.lines {
		in := inScopeOf(&o.o.Scope, &p.b.Items[i])
		inScope = inScope || in
		p.sel[i] = in && p.lines[i].rem > 0
		if p.sel[i] {
			base += p.lines[i].cost()
			room += p.lines[i].rem
		}
	}
	switch {
	case !inScope:
		dec.Reason = ReasonNoLines
		return
	case base < o.minSpend:
		dec.Reason, dec.Missing = ReasonMinSpend, decimal.New(o.minSpend-base, -p.e.scale)
		return
	case o.o.Kind == KindSpendSave && base < o.threshold:
		dec.Reason, dec.Missing = ReasonMinSpend, decimal.New(o.threshold-base, -p.e.scale)
		return
	}
	off := p.compute(o, base, room)
	if o.maxDiscount > 0 {
		off = min(off, o.maxDiscount)
	}
	if off <= 0 {
		dec.Reason = ReasonNothingOff
		return
	}
	p.spread(d, off)
	p.anyApplied = true
	if o.o.Stacking == StackExclusive {
		p.exclusiveBy = o.o.ID
	}
	if o.src == SourceCoupon {
		if p.couponApplied == "" {
			p.couponApplied = o.ref
		}
		if o.o.Stacking == StackNoOtherCoupons {
			p.couponBlockBy = o.ref
		}
	}
}

// when checks an offer's conditions on the sale.
func (p *pricer) when(o *cOffer, local time.Time) Reason {
	w := &o.o.When
	b := p.b
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
// leaves the allocation weights in p.w.
func (p *pricer) compute(o *cOffer, base, room int64) int64 {
	for i := range p.lines {
		p.w[i] = 0
		if p.sel[i] {
			p.w[i] = p.lines[i].rem
		}
	}
	switch o.o.Kind {
	case KindSpendSave:
		times := int64(1)
		if o.o.Repeat {
			times = base / o.threshold
		}
		off, ok := mulDivRound(times, o.amount, 1)
		if !ok {
			return room
		}
		return min(off, room)
	case KindAmountOff:
		return min(o.amount, room)
	case KindPercentOff, KindMemberDay:
		off, _ := mulDivRound(room, o.pct, 100*100)
		return off
	case KindNForPrice:
		return p.nForPrice(o)
	case KindBuyXGetY:
		return p.buyXGetY(o)
	}
	return 0
}

// units orders the selected lines sold in whole units, dearest unit
// first (ties: the earlier line), in p.idx, and returns their units.
func (p *pricer) units() int64 {
	p.idx = p.idx[:0]
	var total int64
	for i := range p.lines {
		if p.sel[i] && p.lines[i].qty%1_000_000 == 0 {
			p.idx = append(p.idx, i)
			total += p.lines[i].qty / 1_000_000
		}
	}
	slices.SortFunc(p.idx, func(a, b int) int {
		// rem[a]/units[a] against rem[b]/units[b], cross-multiplied.
		la, lb := p.lines[a], p.lines[b]
		if c := cmp128(lb.rem, la.qty, la.rem, lb.qty); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return total
}

// nForPrice groups the dearest units N at a time; the discount is what
// the grouped units cost now less N-for-price per group, spread over
// their lines in proportion to their grouped value.
func (p *pricer) nForPrice(o *cOffer) int64 {
	total := p.units()
	clear(p.w)
	groups := total / int64(o.o.N)
	left := groups * int64(o.o.N)
	var value int64
	for _, i := range p.idx {
		u := p.lines[i].qty / 1_000_000
		take := min(u, left)
		left -= take
		p.w[i], _ = mulDivRound(p.lines[i].rem, take, u)
		value += p.w[i]
	}
	price, ok := mulDivRound(groups, o.amount, 1)
	if !ok || price >= value {
		return 0
	}
	return value - price
}

// buyXGetY walks the units dearest first in groups of Buy+Get; the last
// Get units of each full group are discounted by Percent.
func (p *pricer) buyXGetY(o *cOffer) int64 {
	total := p.units()
	clear(p.w)
	size := int64(o.o.Buy + o.o.Get)
	full := total / size * size
	var pos, off int64
	for _, i := range p.idx {
		u := p.lines[i].qty / 1_000_000
		// Units pos .. pos+u-1; unit k is discounted when k < full and
		// k%size >= Buy.
		end := min(pos+u, full)
		free := max(discounted(end, size, int64(o.o.Buy))-discounted(min(pos, full), size, int64(o.o.Buy)), 0)
		pos += u
		v, _ := mulDivRound(p.lines[i].rem, free, u)
		p.w[i], _ = mulDivRound(v, o.pct, 100*100)
		off += p.w[i]
	}
	return off
}

// discounted counts the units k in [0, x) with k%size >= buy.
func discounted(x, size, buy int64) int64 {
	return x/size*(size-buy) + max(x%size-buy, 0)
}

// spread allocates off over the lines in proportion to p.w (largest
// remainder) and books the shares to decision d.
func (p *pricer) spread(d int, off int64) {
	var total int64
	for _, w := range p.w {
		total += w
	}
	off = min(off, total)
	allocate(off, p.w, p.out, &p.keys)
	for i, v := range p.out {
		p.book(i, d, v)
	}
	p.decs[d].Applied = p.amount[d] > 0
	if !p.decs[d].Applied && p.decs[d].Reason == "" {
		p.decs[d].Reason = ReasonNothingOff
	}
}

func (p *pricer) decision(d Decision) int {
	p.decs = append(p.decs, d)
	p.amount = append(p.amount, 0)
	return len(p.decs) - 1
}

func (p *pricer) book(line, d int, v int64) {
	if v <= 0 {
		return
	}
	p.lines[line].rem -= v
	p.amount[d] += v
	p.shares = append(p.shares, share{line, d, v})
}

// result turns the integers back into decimals.
func (p *pricer) result() Result {
	e, b := p.e, p.b
	dec := func(v int64) decimal.Decimal {
		if v == 0 {
			return decimal.Zero
		}
		return decimal.New(v, -e.scale)
	}
	r := Result{Currency: b.Currency, Store: b.Store, Channel: b.Channel, Time: b.Time, Lines: make([]Line, len(p.lines)), Decisions: p.decs}
	if b.Member != nil {
		r.MemberID = b.Member.ID
	}
	counts := make([]int, len(p.lines))
	for _, s := range p.shares {
		counts[s.line]++
	}
	all := make([]Share, len(p.shares))
	var gross, disc int64
	for i, l := range p.lines {
		it := b.Items[i]
		it.Tags = slices.Clone(it.Tags)
		r.Lines[i] = Line{Item: it, Gross: dec(l.gross), Discount: dec(l.gross - l.cost()), Total: dec(l.cost()), Shares: all[:0:counts[i]]}
		all = all[counts[i]:]
		gross += l.gross
		disc += l.gross - l.cost()
	}
	for _, s := range p.shares {
		r.Lines[s.line].Shares = append(r.Lines[s.line].Shares, Share{Offer: p.decs[s.decision].Offer, minor: s.amount, scale: e.scale})
	}
	for i := range r.Decisions {
		r.Decisions[i].Amount = dec(p.amount[i])
	}
	r.Gross, r.Discount, r.Total = dec(gross), dec(disc), dec(gross-disc)
	return r
}
