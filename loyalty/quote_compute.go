package loyalty

import (
	"fmt"
	"sync"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// Quote computes what a purchase earns. It is pure and deterministic: the
// same programme and input give the same quote, whatever the clock or the
// order rules were written in. The service's Earn stores this very quote.
//
// Points accrue on each earning line's net amount: the line total less its
// share of the order discount (spread over earning lines pro rata to their
// totals, exact to the minor unit by largest remainder) and, when
// ExcludeTax is set, its share of the tax (spread over all lines the same
// way). Every rule's exact points are summed over its lines, rounded once
// as the rule says, and the whole points are spread back over the lines by
// running sums (each line gets the whole points its cumulative exact share
// crosses), so line points always add up to rule points and no line is a
// point or more off its exact share. Order bonuses are attributed to their
// lines pro rata to net amount the same way. Caps then trim the
// lowest-priority rules first, keeping each trimmed rule's line split
// proportional.
func (p *Program) Quote(in QuoteInput) (Quote, error) {
	c, err := p.compiledOrCheck()
	if err != nil {
		return Quote{}, err
	}
	pu := &in.Purchase
	if pu.Currency != p.Currency {
		return Quote{}, fmt.Errorf("%w: purchase in %q, programme in %q", ErrCurrencyMismatch, pu.Currency, p.Currency)
	}
	if pu.Time.IsZero() {
		return Quote{}, &FieldError{Field: "purchase.time", Problem: "required"}
	}
	if len(pu.Lines) > MaxLines {
		return Quote{}, fmt.Errorf("%w: more than %d lines", ErrOutOfRange, MaxLines)
	}
	w := getWork(len(pu.Lines), len(c.rules), c.slots)
	defer w.release()
	if err := w.amounts(p, c, pu); err != nil {
		return Quote{}, err
	}
	lt := pu.Time.In(c.loc)
	o := orderContext{date: Date{lt.Year(), lt.Month(), lt.Day()}, weekday: lt.Weekday(),
		minute: lt.Hour()*60 + lt.Minute(), store: pu.Store, channel: pu.Channel, member: in.Member, loc: c.loc}
	w.run(c, &o, pu)
	if w.overflow || w.total64() > MaxQuotePoints {
		return Quote{}, fmt.Errorf("%w: the purchase would earn more than %d points", ErrOutOfRange, int64(MaxQuotePoints))
	}
	w.capProgram(p.Caps, in.Usage)
	q := w.quote(c, pu)
	q.ProgramID, q.PurchaseID, q.Time, q.Currency = p.ID, pu.ID, pu.Time, pu.Currency
	q.PendingUntil = p.Pending.PendingUntil(pu.Time, c.loc)
	q.ReleaseByHost = p.Pending.UntilReleased
	q.ExpiresAt = p.Expiry.ExpiresAt(pu.Time, c.loc)
	return q, nil
}

// work holds one quote's scratch space: n lines × r rules.
type work struct {
	n, r     int
	total    []int64 // line totals, minor units
	qty      []int64 // × 10^6
	disc     []int64
	tax      []int64
	net      []int64
	earning  []bool
	baseRaw  []u128
	raw      []u128  // r × n exact points × 10^18
	pts      []int64 // r × n whole points
	ruleOn   []bool
	sel      []bool // r × n: the rule applies to the earning line
	rounded  []int64
	capRule  []int64
	capProg  []int64
	rulePts  []int64
	capped   int64
	cappedBy string
	overflow bool // some rule earned more than MaxQuotePoints
	rem      []uint64
	order    []int
	tmp      []int64
	best     []int // slots × n: winning rule index, -1 none

	bufI64   []int64
	bufBool  []bool
	bufU128  []u128
	bufRem   []uint64
	bufOrder []int
	bufBest  []int
}

// workPool recycles scratch space between quotes; a quote never hands out
// memory from it.
var workPool = sync.Pool{New: func() any { return new(work) }}

// getWork returns cleared scratch space for n lines, r rules and the
// best-of slots.
func getWork(n, r, slots int) *work {
	w := workPool.Get().(*work)
	w.n, w.r, w.capped, w.cappedBy, w.overflow = n, r, 0, "", false
	i64 := grow(&w.bufI64, 7*n+r*n+4*r)
	w.total, w.qty, w.disc, w.tax = i64[0:n], i64[n:2*n], i64[2*n:3*n], i64[3*n:4*n]
	w.net, w.tmp, w.pts = i64[4*n:5*n], i64[5*n:6*n], i64[7*n:7*n+r*n]
	rest := i64[7*n+r*n:]
	w.rounded, w.capRule, w.capProg, w.rulePts = rest[0:r], rest[r:2*r], rest[2*r:3*r], rest[3*r:4*r]
	b := grow(&w.bufBool, n+r+r*n)
	w.earning, w.ruleOn, w.sel = b[:n], b[n:n+r], b[n+r:]
	raw := grow(&w.bufU128, (r+1)*n)
	w.raw, w.baseRaw = raw[:r*n], raw[r*n:]
	w.rem = grow(&w.bufRem, n)
	w.order = grow(&w.bufOrder, max(n, r))[:0] // lines when spreading, rules in quote
	w.best = grow(&w.bufBest, slots*n)
	for i := range w.best {
		w.best[i] = -1
	}
	return w
}

func (w *work) release() {
	if cap(w.bufU128) <= 1<<16 { // do not keep huge baskets' buffers
		workPool.Put(w)
	}
}

// grow returns (*buf)[:n], cleared, growing the buffer when needed.
func grow[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	s := (*buf)[:n]
	clear(s)
	return s
}

// amounts converts the purchase's decimals to exact integers once and
// spreads the order discount and tax.
func (w *work) amounts(p *Program, c *compiled, pu *customer.Purchase) error {
	var fe fieldErrors
	var sumPos, sumQty int64
	for i := range pu.Lines {
		l := &pu.Lines[i]
		t, ok := scaled(l.Total, c.minor)
		switch { // the field's path is built only for an error: most lines have none
		case (!ok && tooLarge(l.Total, c.minor)) || t < -MaxAmountMinor || t > MaxAmountMinor:
			return &RangeError{Field: "purchase.lines[" + itoa(i) + "].total", Problem: "beyond the engine's limits"}
		case !ok:
			fe.add("purchase.lines["+itoa(i)+"].total", "must be an amount in the currency's minor unit")
		}
		q, ok := scaled(l.Quantity, qtyScale)
		if !ok || q < 0 || q > MaxQuantity*1e6 {
			fe.add("purchase.lines["+itoa(i)+"].quantity", "must be a non-negative quantity with at most 6 decimals")
		}
		w.total[i], w.qty[i] = t, q
		sumPos += max(t, 0)
		sumQty += max(q, 0)
		if sumPos > MaxAmountMinor || sumQty > MaxQuantity*1e6 {
			return fmt.Errorf("%w: purchase exceeds the engine's limits", ErrOutOfRange)
		}
		w.earning[i] = t > 0 && (p.NonEarning.IsZero() || !p.NonEarning.match(l))
	}
	disc, ok := scaled(pu.OrderDiscount, c.minor)
	if !ok || disc < 0 || disc > MaxAmountMinor {
		fe.add("purchase.orderDiscount", "must be a non-negative amount in the currency's minor unit")
	}
	tax, ok := scaled(pu.Tax, c.minor)
	if !ok || tax < 0 || tax > MaxAmountMinor {
		fe.add("purchase.tax", "must be a non-negative amount in the currency's minor unit")
	}
	if err := fe.err(); err != nil {
		return err
	}
	// Order discount: over earning lines, in proportion to their totals.
	var eligible int64
	for i := range w.tmp {
		w.tmp[i] = 0
		if w.earning[i] {
			w.tmp[i] = w.total[i]
			eligible += w.total[i]
		}
	}
	allocate(min(disc, eligible), w.tmp, w.disc, w.rem, w.order)
	// Tax: over every line, in proportion to what is left after discount.
	if p.ExcludeTax && tax > 0 {
		var base int64
		for i := range w.tmp {
			w.tmp[i] = max(w.total[i]-w.disc[i], 0)
			base += w.tmp[i]
		}
		allocate(min(tax, base), w.tmp, w.tax, w.rem, w.order)
	}
	for i := range w.net {
		if w.earning[i] {
			w.net[i] = max(w.total[i]-w.disc[i]-w.tax[i], 0)
		}
	}
	return nil
}

// run evaluates the rules phase by phase: base rates, multipliers of the
// base, product bonuses, order bonuses.
func (w *work) run(c *compiled, o *orderContext, pu *customer.Purchase) {
	active := w.ruleOn
	for k := range c.rules {
		r := &c.rules[k]
		if !r.applies(o) {
			continue
		}
		sel := w.sel[k*w.n : (k+1)*w.n]
		if !r.include && !r.exclude {
			copy(sel, w.earning) // no line selector: every earning line
		} else {
			for i := range pu.Lines {
				sel[i] = w.earning[i] && r.selects(&pu.Lines[i])
			}
		}
		active[k] = w.basketOK(k, r)
	}
	w.phase(c, KindBase, func(r *cRule, i int) u128 {
		return mul64(uint64(w.net[i]), r.rate4).mulSmall(pow10[14-c.minor])
	})
	for k := range c.rules {
		if c.rules[k].kind != KindBase {
			continue
		}
		row := w.raw[k*w.n : (k+1)*w.n]
		for i, v := range row {
			w.baseRaw[i] = w.baseRaw[i].add(v)
		}
	}
	for i, v := range w.baseRaw {
		w.baseRaw[i], _ = v.divmod(10000) // exact: base raw is a multiple of 10^10
	}
	w.phase(c, KindMultiplier, func(r *cRule, i int) u128 {
		return w.baseRaw[i].mulSmall(r.extra4)
	})
	w.phase(c, KindProductBonus, func(r *cRule, i int) u128 {
		return mul64(uint64(r.points), uint64(w.qty[i])).mulSmall(1e12)
	})
	for k := range c.rules {
		r := &c.rules[k]
		if active[k] && r.kind != KindOrderBonus {
			w.settle(k, r)
		}
	}
	w.orderBonuses(c)
}

// basketOK checks a rule's minimum amount and quantity over its lines.
func (w *work) basketOK(k int, r *cRule) bool {
	if r.minAmount == 0 && r.minQty == 0 {
		return true
	}
	var amt, qty int64
	for i, on := range w.sel[k*w.n : (k+1)*w.n] {
		if on {
			amt += w.net[i]
			qty += w.qty[i]
		}
	}
	return amt >= r.minAmount && qty >= r.minQty
}

// phase computes the exact points of every active rule of one kind, line by
// line, keeping only the best rule per line in a best-of group.
func (w *work) phase(c *compiled, kind RuleKind, exact func(*cRule, int) u128) {
	for k := range c.rules {
		r := &c.rules[k]
		if r.kind != kind || !w.ruleOn[k] {
			continue
		}
		row := w.raw[k*w.n : (k+1)*w.n]
		for i, on := range w.sel[k*w.n : (k+1)*w.n] {
			if !on {
				continue
			}
			v := exact(r, i)
			if v.isZero() {
				continue
			}
			if r.slot < 0 {
				row[i] = v
				continue
			}
			// Rules come highest priority first, so a tie keeps the
			// earlier (higher-priority) rule.
			b := &w.best[r.slot*w.n+i]
			if *b >= 0 {
				prev := &w.raw[*b*w.n+i]
				if !prev.less(v) {
					continue
				}
				*prev = u128{}
			}
			*b = k
			row[i] = v
		}
	}
}

// settle rounds rule k's exact total once and spreads the whole points over
// its lines, then applies the rule's own cap.
func (w *work) settle(k int, r *cRule) {
	row := w.raw[k*w.n : (k+1)*w.n]
	var sum u128
	for _, v := range row {
		sum = sum.add(v)
	}
	if sum.isZero() {
		w.ruleOn[k] = false
		return
	}
	pts := w.pts[k*w.n : (k+1)*w.n]
	n, ok := roundRaw(sum, r.rounding)
	if !ok {
		w.overflow = true
		w.ruleOn[k] = false
		return
	}
	distributeRaw(n, row, pts)
	w.rounded[k] = n
	w.rulePts[k] = n
	if r.maxPoints > 0 && n > r.maxPoints {
		w.trim(k, r.maxPoints)
		w.capRule[k] = n - r.maxPoints
	}
}

// trim lowers rule k to to points, keeping the line split proportional.
func (w *work) trim(k int, to int64) {
	pts := w.pts[k*w.n : (k+1)*w.n]
	copy(w.tmp, pts)
	splitPoints(to, w.tmp, pts)
	w.rulePts[k] = to
}

// orderBonuses awards fixed per-purchase bonuses, best-of per group, and
// attributes each to its lines pro rata to their net amounts (by quantity
// when the lines are free), so a return takes back its share.
func (w *work) orderBonuses(c *compiled) {
	winner := map[int]int{} // slot → rule
	for k := range c.rules {
		r := &c.rules[k]
		if r.kind != KindOrderBonus || !w.ruleOn[k] || !w.weights(k) {
			w.ruleOn[k] = w.ruleOn[k] && r.kind != KindOrderBonus
			continue
		}
		if r.slot >= 0 {
			if prev, ok := winner[r.slot]; ok && c.rules[prev].points >= r.points {
				w.ruleOn[k] = false
				continue
			} else if ok {
				w.ruleOn[prev] = false
			}
			winner[r.slot] = k
		}
	}
	for k := range c.rules {
		r := &c.rules[k]
		if r.kind != KindOrderBonus || !w.ruleOn[k] {
			continue
		}
		w.weights(k)
		pts := w.pts[k*w.n : (k+1)*w.n]
		splitPoints(r.points, w.tmp, pts)
		for i, v := range w.tmp {
			if v > 0 {
				w.raw[k*w.n+i] = mul64(uint64(pts[i]), rawScale)
			}
		}
		w.rounded[k], w.rulePts[k] = r.points, r.points
		if r.maxPoints > 0 && r.points > r.maxPoints {
			w.trim(k, r.maxPoints)
			w.capRule[k] = r.points - r.maxPoints
		}
	}
}

// weights fills w.tmp with rule k's attribution weights and reports
// whether any line is selected.
func (w *work) weights(k int) bool {
	sel := w.sel[k*w.n : (k+1)*w.n]
	var sum int64
	any := false
	for i, on := range sel {
		w.tmp[i] = 0
		if on {
			w.tmp[i] = w.net[i]
			sum += w.net[i]
			any = true
		}
	}
	if sum == 0 && any {
		for i, on := range sel {
			if on {
				w.tmp[i] = w.qty[i]
				sum += w.qty[i]
			}
		}
	}
	return sum > 0
}

// total64 sums the rules' points; each is at most MaxQuotePoints and there
// are at most MaxRules+tiers of them, so the sum cannot overflow.
func (w *work) total64() int64 {
	var t int64
	for k := range w.r {
		if w.ruleOn[k] {
			t += w.rulePts[k]
		}
	}
	return t
}

// capProgram trims the programme's caps, lowest-priority rules first.
func (w *work) capProgram(caps Caps, used CapUsage) {
	var total int64
	for k := range w.r {
		if w.ruleOn[k] {
			total += w.rulePts[k]
		}
	}
	allowed, by := int64(-1), ""
	tighten := func(limit int64, name string) {
		limit = max(limit, 0)
		if allowed < 0 || limit < allowed {
			allowed, by = limit, name
		}
	}
	if caps.PerOrder > 0 {
		tighten(caps.PerOrder, "order")
	}
	// Usage below zero (a day of net returns) frees no extra room.
	if caps.PerDay > 0 {
		tighten(caps.PerDay-max(used.Today, 0), "day")
	}
	if caps.PerPeriod > 0 {
		tighten(caps.PerPeriod-max(used.Period, 0), "period")
	}
	if allowed < 0 || total <= allowed {
		return
	}
	excess := total - allowed
	w.capped, w.cappedBy = excess, by
	for k := w.r - 1; k >= 0 && excess > 0; k-- {
		if !w.ruleOn[k] || w.rulePts[k] == 0 {
			continue
		}
		take := min(excess, w.rulePts[k])
		w.trim(k, w.rulePts[k]-take)
		w.capProg[k] = take
		excess -= take
	}
}

// quote assembles the result.
func (w *work) quote(c *compiled, pu *customer.Purchase) Quote {
	var q Quote
	// The rules that earned, in order; w.order is free scratch by now.
	on := w.order[:0]
	nz := 0
	for k := range w.r {
		if !w.ruleOn[k] {
			continue
		}
		on = append(on, k)
		for _, v := range w.pts[k*w.n : (k+1)*w.n] {
			if v > 0 {
				nz++
			}
		}
	}
	q.Rules = make([]RuleQuote, len(on))
	ids := make([]string, len(on))
	for j, k := range on {
		ids[j] = c.rules[k].id
	}
	byRule := make([]ruleShare, nz)
	q.Lines = make([]LineQuote, w.n)
	next := 0
	for i := range pu.Lines {
		l := &pu.Lines[i]
		lq := &q.Lines[i]
		lq.Line, lq.SKU, lq.Quantity, lq.Earning = i+1, l.SKU, l.Quantity, w.earning[i]
		lq.orderDiscount = newAmount(w.disc[i], -c.minor)
		lq.tax = newAmount(w.tax[i], -c.minor)
		lq.net = newAmount(w.net[i], -c.minor)
		start := next
		for j, k := range on {
			if v := w.pts[k*w.n+i]; v > 0 {
				byRule[next] = share(j, v) // j < MaxRules+tiers, v ≤ MaxQuotePoints
				lq.Points += v
				next++
			}
		}
		if next > start {
			lq.byRule, lq.rules = byRule[start:next:next], ids
		}
		q.Total += lq.Points
	}
	for j, k := range on {
		w.ruleQuote(c, k, &q.Rules[j])
	}
	q.Capped, q.CappedBy = w.capped, w.cappedBy
	return q
}

// ruleQuote fills rq with rule k's figures.
func (w *work) ruleQuote(c *compiled, k int, rq *RuleQuote) {
	r := &c.rules[k]
	var exact, base u128
	var amount int64
	lines := 0
	for i := range w.n {
		v := w.raw[k*w.n+i]
		if v.isZero() {
			continue
		}
		exact = exact.add(v)
		amount += w.net[i]
		base = base.add(w.baseRaw[i])
		lines++
	}
	*rq = RuleQuote{RuleID: r.id, Kind: r.kind, Group: r.group, Priority: r.priority, Multiplier: r.shown,
		baseAmount: newAmount(amount, -c.minor), exact: exact, Rounding: r.rounding,
		Rounded: w.rounded[k], CappedByRule: w.capRule[k], CappedByProgram: w.capProg[k], Points: w.rulePts[k], Lines: lines}
	if r.kind == KindMultiplier {
		rq.basePoints = base.mulSmall(10000) // baseRaw is held ÷ 10^4
	}
}

// trimmed turns raw points (× 10^18) into a decimal without trailing zeros.
func trimmed(x u128) decimal.Decimal {
	exp := int32(-18)
	for _, step := range [...]int32{9, 4, 2, 1, 1} {
		for exp+step <= 0 {
			q, r := x.divmod(pow10[step])
			if r != 0 {
				break
			}
			x, exp = q, exp+step
		}
	}
	return x.decimal(exp)
}
