package loyalty

import (
	"cmp"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// compiled is a validated programme in the form Quote runs fast on.
type compiled struct {
	loc    *time.Location
	minor  int32
	rules  []cRule // purchase rules: highest priority first, then kind, then ID
	events []cRule // event bonuses, same order
	slots  int     // best-of groups
}

// cRule is an earn rule with its numbers pre-scaled to integers.
type cRule struct {
	id        string
	kind      RuleKind
	group     string
	slot      int // best-of group slot, -1 when the rule adds up
	priority  int
	rate4     uint64 // KindBase: rate × 10^4
	extra4    uint64 // KindMultiplier: (factor − 1) × 10^4
	points    int64  // bonuses
	event     EventKind
	rounding  Rounding
	maxPoints int64
	minAmount int64 // minor units
	minQty    int64 // × 10^6
	weekdays  uint8 // bit per time.Weekday; 0 means any day
	include   bool  // When.Lines is set
	exclude   bool  // When.Exclude is set
	when      *Condition
	shown     decimal.Decimal // rate, factor or points, for the quote
}

var kindOrder = map[RuleKind]int{KindBase: 0, KindMultiplier: 1, KindProductBonus: 2, KindOrderBonus: 3, KindEventBonus: 4}

// compile builds the fast form; the programme is already validated.
func (p *Program) compile(loc *time.Location, minor int32) *compiled {
	c := &compiled{loc: loc, minor: minor}
	slots := map[string]int{}
	for _, g := range p.Stacking {
		if g.Mode == StackBestOf {
			slots[g.ID] = len(slots)
		}
	}
	c.slots = len(slots)
	for i := range p.EarnRules {
		r := &p.EarnRules[i]
		cr := cRule{id: r.ID, kind: r.Kind, group: r.Group, slot: -1, priority: r.Priority,
			points: r.Points, event: r.Event, rounding: r.Rounding.orFloor(), maxPoints: r.MaxPoints, when: &r.When}
		if s, ok := slots[r.Group]; ok && r.Group != "" {
			cr.slot = s
		}
		switch r.Kind {
		case KindBase:
			v, _ := scaled(r.Rate, 4)
			cr.rate4, cr.shown = uint64(v), r.Rate
		case KindMultiplier:
			v, _ := scaled(r.Factor, 4)
			cr.extra4, cr.shown = uint64(v-10000), r.Factor
		default:
			cr.shown = decimal.NewFromInt(r.Points)
		}
		cr.minAmount, _ = scaled(r.When.MinAmount, minor)
		cr.minQty, _ = scaled(r.When.MinQuantity, qtyScale)
		cr.include, cr.exclude = !r.When.Lines.IsZero(), !r.When.Exclude.IsZero()
		for _, d := range r.When.Weekdays {
			cr.weekdays |= 1 << uint(d)
		}
		if r.Kind == KindEventBonus {
			c.events = append(c.events, cr)
		} else {
			c.rules = append(c.rules, cr)
		}
	}
	c.rules = append(c.rules, p.tierRules()...)
	order := func(a, b cRule) int {
		if a.priority != b.priority {
			return cmp.Compare(b.priority, a.priority)
		}
		if a.kind != b.kind {
			return cmp.Compare(kindOrder[a.kind], kindOrder[b.kind])
		}
		return cmp.Compare(a.id, b.id)
	}
	slices.SortStableFunc(c.rules, order)
	slices.SortStableFunc(c.events, order)
	return c
}

// tierRules turns the tiers' earn multipliers into multiplier rules, so a
// tier's ×1.5 shows in quotes like any other rule.
func (p *Program) tierRules() []cRule {
	var out []cRule
	for i := range p.Tiers.Levels {
		t := &p.Tiers.Levels[i]
		if t.Benefits.EarnMultiplier.IsZero() {
			continue
		}
		v, _ := scaled(t.Benefits.EarnMultiplier, 4)
		out = append(out, cRule{id: "tier:" + t.Code, kind: KindMultiplier, slot: -1, extra4: uint64(v - 10000),
			rounding: RoundFloor, when: &Condition{Tiers: []string{t.Code}}, shown: t.Benefits.EarnMultiplier})
	}
	return out
}

// orderContext is the purchase-wide facts rules test, computed once.
type orderContext struct {
	date    Date
	weekday time.Weekday
	minute  int
	store   string
	channel customer.SalesChannel
	member  Member // a copy: a pointer would make the whole quote input escape (o.loc leaks)
	loc     *time.Location
}

// applies checks the rule's purchase-wide conditions.
func (r *cRule) applies(o *orderContext) bool {
	w := r.when
	if !w.From.IsZero() && o.date.compare(w.From) < 0 {
		return false
	}
	if !w.To.IsZero() && o.date.compare(w.To) > 0 {
		return false
	}
	if r.weekdays != 0 && r.weekdays&(1<<uint(o.weekday)) == 0 {
		return false
	}
	if !w.MemberDay.IsZero() && !w.MemberDay.Contains(o.date) {
		return false
	}
	if len(w.Hours) > 0 && !slices.ContainsFunc(w.Hours, func(h HourRange) bool { return h.contains(o.minute) }) {
		return false
	}
	if len(w.Stores) > 0 && !contains(w.Stores, o.store) {
		return false
	}
	if len(w.Channels) > 0 && !contains(w.Channels, o.channel) {
		return false
	}
	if len(w.Tiers) > 0 && !contains(w.Tiers, o.member.Tier) {
		return false
	}
	if len(w.MemberTags) > 0 && !slices.ContainsFunc(w.MemberTags, func(t string) bool { return contains(o.member.Tags, t) }) {
		return false
	}
	if w.FirstPurchase && !o.member.FirstPurchase {
		return false
	}
	if w.Birthday != "" && !isBirthday(o.member.Birthday, w.Birthday, o.date) {
		return false
	}
	if w.JoinedWithinDays > 0 {
		if o.member.JoinedAt.IsZero() {
			return false
		}
		last := DateOf(o.member.JoinedAt, o.loc).addDays(w.JoinedWithinDays)
		if o.date.compare(last) > 0 {
			return false
		}
	}
	return true
}

func isBirthday(b customer.Birthday, when BirthdayWhen, d Date) bool {
	if b.IsZero() || b.Validate() != nil {
		return false
	}
	if !b.Lunar {
		if when == BirthdayMonth {
			return b.Month == d.Month
		}
		obs := b.Observed(d.Year, time.UTC)
		return obs.Month() == d.Month && obs.Day() == d.Day
	}
	// A birthday in the Chinese calendar is kept on its Gregorian date,
	// and its month is that date's month; the one of the Chinese year
	// before may fall early in d's year.
	for _, y := range []int{d.Year - 1, d.Year} {
		obs := b.Observed(y, time.UTC)
		if obs.Year() == d.Year && obs.Month() == d.Month && (when == BirthdayMonth || obs.Day() == d.Day) {
			return true
		}
	}
	return false
}

// selects reports whether the rule applies to an earning line.
func (r *cRule) selects(l *customer.Line) bool {
	if r.include && !r.when.Lines.match(l) {
		return false
	}
	return !r.exclude || !r.when.Exclude.match(l)
}

func (s *Selector) match(l *customer.Line) bool {
	if contains(s.Categories, l.Category) || contains(s.Brands, l.Brand) || contains(s.SKUs, l.SKU) {
		return true
	}
	for _, t := range l.Tags {
		if contains(s.Tags, t) {
			return true
		}
	}
	return false
}
