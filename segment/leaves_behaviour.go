package segment

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Spent matches customers whose net spend (purchases minus refunds, by
// the day each happened) over the last Days calendar days (asOf's day
// included; 0 means all history) is at least Min and, if Max is set, at
// most Max. Facts whose Scale differs from the scale of EvalOptions.Currency
// never match.
type Spent struct {
	Min  decimal.Decimal  `json:"min"`
	Max  *decimal.Decimal `json:"max,omitempty"`
	Days int              `json:"days,omitempty"`
}

// Purchases matches customers with at least Min and, if Max is set, at
// most Max purchases over the last Days days (0 means all history).
type Purchases struct {
	Min  int64  `json:"min"`
	Max  *int64 `json:"max,omitempty"`
	Days int    `json:"days,omitempty"`
}

// Bought matches customers who bought the category, brand or SKU (exactly
// one is given) in the last Days days (0 means ever).
type Bought struct {
	Category string `json:"category,omitempty"`
	Brand    string `json:"brand,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Days     int    `json:"days,omitempty"`
}

// LastPurchase matches customers whose latest purchase is before Before
// and after After (absolute times), within the last WithinDays whole days
// and longer than OlderThanDays ago; zero fields are not checked, at least
// one must be set. Customers who never bought never match.
type LastPurchase struct {
	Before        time.Time `json:"before,omitzero"`
	After         time.Time `json:"after,omitzero"`
	WithinDays    int       `json:"withinDays,omitempty"`
	OlderThanDays int       `json:"olderThanDays,omitempty"`
}

// ChannelShare matches customers for whom the channel's share of their
// purchases over the last Days days (0: all history) is at least
// MinPercent and at most MaxPercent (0 means 100). Customers with no
// purchase in the window never match.
type ChannelShare struct {
	Channel    string `json:"channel"`
	MinPercent int    `json:"minPercent,omitempty"`
	MaxPercent int    `json:"maxPercent,omitempty"`
	Days       int    `json:"days,omitempty"`
}

// StoreShare is ChannelShare for a store.
type StoreShare struct {
	Store      string `json:"store"`
	MinPercent int    `json:"minPercent,omitempty"`
	MaxPercent int    `json:"maxPercent,omitempty"`
	Days       int    `json:"days,omitempty"`
}

func (Spent) key() string        { return "spent" }
func (Purchases) key() string    { return "purchases" }
func (Bought) key() string       { return "bought" }
func (LastPurchase) key() string { return "lastPurchase" }
func (ChannelShare) key() string { return "channelShare" }
func (StoreShare) key() string   { return "storeShare" }

func windowText(days int) string {
	if days == 0 {
		return "ever"
	}
	return fmt.Sprintf("in the last %d days", days)
}

func (n Spent) check(path string, _ int, p *problems) {
	checkDays(path+".days", n.Days, false, p)
	if !saneDecimal(n.Min) {
		p.add(path+".min", "out of range")
	}
	if n.Max != nil && !saneDecimal(*n.Max) {
		p.add(path+".max", "out of range")
	} else if n.Max != nil && saneDecimal(n.Min) && n.Max.LessThan(n.Min) {
		p.add(path+".max", "below min")
	}
}

func (n Spent) compile(e *env) (cnode, error) {
	var p problems
	lo, err := ToMinor(n.Min, e.scale)
	if err != nil {
		p.add("spent.min", "%v", err)
	}
	var hi int64
	cond := fmt.Sprintf("spent >= %s", n.Min.StringFixed(e.scale))
	if n.Max != nil {
		if hi, err = ToMinor(*n.Max, e.scale); err != nil {
			p.add("spent.max", "%v", err)
		}
		cond += fmt.Sprintf(" and <= %s", n.Max.StringFixed(e.scale))
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	start := e.windowStart(n.Days)
	end := e.day
	net := func(f *Facts) int64 { _, v := windowed(f, start, end); return v }
	return leaf{
		cond: cond + " " + windowText(n.Days),
		test: func(f *Facts) bool {
			v := net(f)
			return f.Scale == e.scale && v >= lo && (n.Max == nil || v <= hi)
		},
		observe: func(f *Facts) string {
			if f.Scale != e.scale {
				return fmt.Sprintf("facts use %d decimals, the rule %d (set EvalOptions.Currency)", f.Scale, e.scale)
			}
			return fmt.Sprintf("spent %s", Amount(net(f), f.Scale).StringFixed(f.Scale))
		},
	}, nil
}

// windowed sums purchases and net spend over days [start, end].
func windowed(f *Facts, start, end int32) (count, net int64) {
	for i := len(f.Days) - 1; i >= 0 && f.Days[i].Day >= start; i-- {
		d := f.Days[i]
		if d.Day > end {
			continue
		}
		count += int64(d.Purchases)
		net += d.Spent - d.Refunded
	}
	return count, net
}

func (n Purchases) check(path string, _ int, p *problems) {
	checkDays(path+".days", n.Days, false, p)
	if n.Min < 0 {
		p.add(path+".min", "negative")
	}
	if n.Max != nil && *n.Max < n.Min {
		p.add(path+".max", "below min")
	}
	if n.Min == 0 && n.Max == nil {
		p.add(path, "needs min > 0 or max")
	}
}

func (n Purchases) compile(e *env) (cnode, error) {
	start, end := e.windowStart(n.Days), e.day
	count := func(f *Facts) int64 {
		if n.Days == 0 {
			return f.Purchases
		}
		c, _ := windowed(f, start, end)
		return c
	}
	cond := fmt.Sprintf("purchases >= %d", n.Min)
	if n.Max != nil {
		cond += fmt.Sprintf(" and <= %d", *n.Max)
	}
	return leaf{
		cond: cond + " " + windowText(n.Days),
		test: func(f *Facts) bool {
			c := count(f)
			return c >= n.Min && (n.Max == nil || c <= *n.Max)
		},
		observe: func(f *Facts) string { return fmt.Sprintf("%d purchases", count(f)) },
	}, nil
}

func (n Bought) item() (ItemKind, string) {
	switch {
	case n.Category != "":
		return ItemCategory, n.Category
	case n.Brand != "":
		return ItemBrand, n.Brand
	}
	return ItemSKU, n.SKU
}

func (n Bought) check(path string, _ int, p *problems) {
	set := 0
	for _, v := range []string{n.Category, n.Brand, n.SKU} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		p.add(path, "needs exactly one of category, brand and sku, has %d", set)
	}
	checkDays(path+".days", n.Days, false, p)
}

// lastBought returns the last day the customer bought the item.
func lastBought(f *Facts, kind ItemKind, value string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(f.Items, itemRef{kind, value}, func(s ItemStat, r itemRef) int {
		if c := cmp.Compare(s.Kind, r.kind); c != 0 {
			return c
		}
		return cmp.Compare(s.Value, r.value)
	})
	if !ok {
		return 0, false
	}
	return f.Items[i].Last, true
}

func (n Bought) compile(e *env) (cnode, error) {
	kind, value := n.item()
	start := e.windowStart(n.Days)
	return leaf{
		cond: fmt.Sprintf("bought %s %s %s", kind, value, windowText(n.Days)),
		test: func(f *Facts) bool {
			if kind == ItemSKU && !f.SKUsTracked {
				return false
			}
			d, ok := lastBought(f, kind, value)
			return ok && d >= start
		},
		observe: func(f *Facts) string {
			if kind == ItemSKU && !f.SKUsTracked {
				return "SKUs not tracked in these facts"
			}
			if d, ok := lastBought(f, kind, value); ok {
				return fmt.Sprintf("last bought %s", dayDate(d))
			}
			return "never bought"
		},
	}, nil
}

// dayDate renders a day number as a date.
func dayDate(d int32) string { return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly) }

func (n LastPurchase) check(path string, _ int, p *problems) {
	checkDays(path+".withinDays", n.WithinDays, false, p)
	checkDays(path+".olderThanDays", n.OlderThanDays, false, p)
	if n.Before.IsZero() && n.After.IsZero() && n.WithinDays == 0 && n.OlderThanDays == 0 {
		p.add(path, "needs before, after, withinDays or olderThanDays")
	}
	if !n.Before.IsZero() && !n.After.IsZero() && !n.After.Before(n.Before) {
		p.add(path+".after", "not before before")
	}
	if n.WithinDays > 0 && n.OlderThanDays >= n.WithinDays {
		p.add(path+".olderThanDays", "is %d, not below withinDays %d", n.OlderThanDays, n.WithinDays)
	}
}

func (n LastPurchase) compile(e *env) (cnode, error) {
	var parts []string
	if !n.Before.IsZero() {
		parts = append(parts, "before "+n.Before.Format(time.RFC3339))
	}
	if !n.After.IsZero() {
		parts = append(parts, "after "+n.After.Format(time.RFC3339))
	}
	if n.WithinDays > 0 {
		parts = append(parts, fmt.Sprintf("within %d days", n.WithinDays))
	}
	if n.OlderThanDays > 0 {
		parts = append(parts, fmt.Sprintf("more than %d days ago", n.OlderThanDays))
	}
	return leaf{
		cond: "last purchase " + joinAnd(parts),
		test: func(f *Facts) bool {
			if f.Purchases == 0 {
				return false
			}
			d := elapsedDays(f.Last, e.asOf)
			return (n.Before.IsZero() || f.Last.Before(n.Before)) &&
				(n.After.IsZero() || f.Last.After(n.After)) &&
				(n.WithinDays == 0 || d <= int64(n.WithinDays)) &&
				(n.OlderThanDays == 0 || d > int64(n.OlderThanDays))
		},
		observe: func(f *Facts) string {
			if f.Purchases == 0 {
				return "no purchase"
			}
			return fmt.Sprintf("last purchase %s (%d days ago)", f.Last.In(e.loc).Format(time.DateOnly), elapsedDays(f.Last, e.asOf))
		},
	}, nil
}

func joinAnd(parts []string) string {
	out := ""
	for i, s := range parts {
		if i > 0 {
			out += " and "
		}
		out += s
	}
	return out
}

func checkShare(path, nameField, name string, lo, hi, days int, p *problems) {
	if name == "" {
		p.add(path+"."+nameField, "missing")
	}
	if lo < 0 || lo > 100 {
		p.add(path+".minPercent", "is %d, want 0 to 100", lo)
	}
	if hi < 0 || hi > 100 {
		p.add(path+".maxPercent", "is %d, want 0 to 100", hi)
	}
	if hi > 0 && hi < lo {
		p.add(path+".maxPercent", "is %d, below minPercent %d", hi, lo)
	}
	if lo == 0 && hi == 0 {
		p.add(path, "needs minPercent or maxPercent")
	}
	checkDays(path+".days", days, false, p)
}

func (n ChannelShare) check(path string, _ int, p *problems) {
	checkShare(path, "channel", n.Channel, n.MinPercent, n.MaxPercent, n.Days, p)
}

func (n StoreShare) check(path string, _ int, p *problems) {
	checkShare(path, "store", n.Store, n.MinPercent, n.MaxPercent, n.Days, p)
}

func (n ChannelShare) compile(e *env) (cnode, error) {
	return shareLeaf(e, "channel", n.Channel, n.MinPercent, n.MaxPercent, n.Days, func(f *Facts) []Usage { return f.Channels }), nil
}

func (n StoreShare) compile(e *env) (cnode, error) {
	return shareLeaf(e, "store", n.Store, n.MinPercent, n.MaxPercent, n.Days, func(f *Facts) []Usage { return f.Stores }), nil
}

// shareLeaf compares part/total with lo% and hi% in integers
// (100·part >= lo·total), so no rounding decides a boundary case.
func shareLeaf(e *env, what, name string, lo, hi, days int, usages func(*Facts) []Usage) leaf {
	if hi == 0 {
		hi = 100
	}
	start, end := e.windowStart(days), e.day
	// part counts the purchases through name in the window; over all
	// history it is the usage's own total, with no day to read.
	part := func(f *Facts) int64 {
		var n int64
		for _, u := range usages(f) {
			if u.Name != name {
				continue
			}
			if days == 0 {
				return u.Purchases
			}
			for i := len(u.Days) - 1; i >= 0 && u.Days[i].Day >= start; i-- {
				if u.Days[i].Day <= end {
					n += int64(u.Days[i].Count)
				}
			}
		}
		return n
	}
	total := func(f *Facts) int64 {
		if days == 0 {
			return f.Purchases
		}
		n, _ := windowed(f, start, end)
		return n
	}
	counts := func(f *Facts) (int64, int64) { return part(f), total(f) }
	test := func(f *Facts) bool {
		p := part(f)
		if p == 0 && lo > 0 {
			return false // no need to count the rest
		}
		t := total(f)
		return t > 0 && 100*p >= int64(lo)*t && 100*p <= int64(hi)*t
	}
	return leaf{
		cond: fmt.Sprintf("%s %s share %d%% to %d%% of purchases %s", what, name, lo, hi, windowText(days)),
		test: test,
		observe: func(f *Facts) string {
			p, t := counts(f)
			return fmt.Sprintf("%d of %d purchases", p, t)
		},
	}
}
