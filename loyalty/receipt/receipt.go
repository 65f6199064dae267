package receipt

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Receipt is what a receipt shows. Only Purchase is required; every other
// part is printed when given.
type Receipt struct {
	// Purchase is the sale as recorded.
	Purchase customer.Purchase
	// Pricing is how the basket was priced (pricing.Result.Purchase made
	// Purchase): it names the offers behind each line's discount and the
	// coupons that did not apply. Without it a line shows its discount
	// as one amount.
	Pricing *pricing.Result
	// Earned is the points the sale earned (loyalty.EarnResult.Quote),
	// and Events the earn's events (a tier upgrade is printed).
	Earned *loyalty.Quote
	Events []loyalty.Event
	// PointsPaid is points used as a tender, if any.
	PointsPaid *loyalty.RedeemResult
	// Payments are the other tenders: stored value, card, cash.
	Payments []Payment
	// Balance is the member's points after the sale; Program names the
	// tiers.
	Balance *loyalty.BalanceView
	Program *loyalty.Program
}

// Payment is one tender.
type Payment struct {
	Method string // as the shop names it: "stored value", "储值卡", "cash"
	Amount decimal.Decimal
	// StoredValue, for a payment from a stored-value wallet or gift card,
	// is what the payment returned (storedvalue.Service.Pay or
	// CommitHold): the receipt then prints how much of it was bonus and
	// the balance left on the card.
	StoredValue *storedvalue.PayResult
}

// Options say how to print.
type Options struct {
	// Lang picks the wording: Simplified Chinese for any Chinese tag,
	// English otherwise. Default English.
	Lang language.Tag
	// Width is the paper's width in columns (a wide character takes two);
	// default 42, at least 32.
	Width int
	// Location is the time zone of the printed times; default UTC.
	Location *time.Location
}

// Render writes the receipt to w.
func Render(w io.Writer, r Receipt, opts *Options) error {
	o := Options{Lang: language.English, Width: 42, Location: time.UTC}
	if opts != nil {
		if opts.Lang != language.Und {
			o.Lang = opts.Lang
		}
		if opts.Width > 0 {
			o.Width = max(opts.Width, 32)
		}
		if opts.Location != nil {
			o.Location = opts.Location
		}
	}
	zh := false
	if base, _ := o.Lang.Base(); base.String() == "zh" {
		zh, o.Lang = true, language.SimplifiedChinese
	} else {
		o.Lang = language.English
	}
	scale, err := money.MinorUnits(r.Purchase.Currency)
	if err != nil {
		return fmt.Errorf("receipt: purchase currency: %w", err)
	}
	p := &page{w: w, width: o.Width, t: printer(o.Lang), scale: scale, zh: zh, loc: o.Location}
	p.header(r.Purchase)
	p.items(r)
	p.totals(r)
	p.points(r)
	p.line(p.t.Sprintf("Thank you for shopping with us"))
	return p.err
}

// page writes lines, keeping the first write error.
type page struct {
	w     io.Writer
	width int
	t     *message.Printer
	scale int32
	zh    bool
	loc   *time.Location
	err   error
}

// line writes one line without control characters: a product name or
// an ID from another system must not reach a receipt printer as a command
// (ESC/POS commands are control bytes: DLE DC4 opens the cash drawer).
func (p *page) line(s string) {
	if p.err == nil {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, s)
		_, p.err = io.WriteString(p.w, strings.TrimRight(s, " ")+"\n")
	}
}

func (p *page) amount(d decimal.Decimal) string { return d.StringFixed(p.scale) }

func (p *page) header(pu customer.Purchase) {
	p.line(strings.Repeat("-", p.width))
	p.line(p.t.Sprintf("Receipt %s", pu.ID))
	p.line(p.t.Sprintf("Store %s  Staff %s  %s", pu.Store, pu.Staff, pu.Time.In(p.loc).Format("2006-01-02 15:04")))
}

// items prints each line: name, quantity × price and amount, then one
// indented line per discount on it.
func (p *page) items(r Receipt) {
	names := offerNames(r.Pricing, p)
	for i, l := range r.Purchase.Lines {
		name := l.Name
		if name == "" {
			name = l.SKU
		}
		gross := l.Quantity.Mul(l.UnitPrice).Round(p.scale)
		p.item(name, l.Quantity.String()+" × "+p.amount(l.UnitPrice), p.amount(gross))
		shares := sharesOf(r.Pricing, i, l)
		if len(shares) == 0 && l.Discount.IsPositive() {
			p.line(row("  "+p.t.Sprintf("Discount"), "-"+p.amount(l.Discount), p.width))
		}
		for _, s := range shares {
			p.line(row("  "+names[shareKey(s)], "-"+p.amount(s.Amount), p.width))
		}
	}
}

// Columns of an item line: the amount and the quantity × price are
// right-aligned in columns at least this wide, the name takes the rest.
const (
	amountCells = 10
	qtyCells    = 16
	minName     = 8 // below this the name gets a line of its own
)

// item prints an item's name, quantity × price and amount on one line of
// the paper's width, the amounts ending in the last column. When a
// quantity sold by weight or a large amount leaves the name too little
// room, the name goes on a line of its own and the figures under it; the
// figures are never cut, and a line is never wider than the paper unless
// one figure alone is.
func (p *page) item(name, qty, amount string) {
	amountW := max(amountCells, cells(amount))
	qtyW := max(qtyCells, cells(qty))
	if nameW := p.width - qtyW - amountW - 2; nameW >= minName {
		p.line(fit(name, nameW) + " " + right(qty, qtyW) + " " + right(amount, amountW))
		return
	}
	p.line(fit(name, p.width))
	if cells(qty)+1+amountW <= p.width {
		p.line(right(qty, p.width-amountW-1) + " " + right(amount, amountW))
		return
	}
	p.line(right(qty, p.width))
	p.line(right(amount, p.width))
}

// sharesOf returns a line's shares when the pricing result is the one
// that made the line.
func sharesOf(res *pricing.Result, i int, l customer.Line) []pricing.Share {
	if res == nil || i >= len(res.Lines) || res.Lines[i].Item.SKU != l.SKU || !res.Lines[i].Discount().Equal(l.Discount) {
		return nil
	}
	return res.Shares(i)
}

// offer names an offer of a pricing result: two coupons of one
// definition share the offer, and their Refs tell them apart.
type offer struct{ id, coupon string }

func shareKey(s pricing.Share) offer { return offer{s.Offer, s.Coupon} }

// offerNames are the printed names of the offers of a pricing result.
func offerNames(res *pricing.Result, p *page) map[offer]string {
	out := map[offer]string{}
	if res == nil {
		return out
	}
	for _, d := range res.Decisions {
		k := offer{d.Offer, d.Coupon}
		switch {
		case d.Source == pricing.SourceMemberPrice:
			out[k] = p.t.Sprintf("Member price")
		case d.Source == pricing.SourceTier:
			out[k] = p.t.Sprintf("Tier discount (%s)", d.Name)
		case d.Source == pricing.SourceCoupon:
			label := d.Name
			if label == "" {
				label = d.Offer
			}
			out[k] = p.t.Sprintf("Coupon %s", d.Coupon) + " " + label
		case d.Name != "":
			out[k] = d.Name
		default:
			out[k] = d.Offer
		}
	}
	return out
}

// byName names the offer a decision's By points at as the customer knows
// it: a coupon by its masked code, a promotion by its name (By holds a
// coupon's Ref or an offer's ID, which mean nothing on paper).
func (p *page) byName(res *pricing.Result, by string) string {
	if res == nil {
		return by
	}
	for _, d := range res.Decisions {
		if d.Source == pricing.SourceCoupon && d.Coupon == by {
			return p.t.Sprintf("Coupon %s", by)
		}
	}
	for _, d := range res.Decisions {
		if d.Offer == by && d.Applied {
			if d.Source == pricing.SourceCoupon {
				return p.t.Sprintf("Coupon %s", d.Coupon)
			}
			if d.Name != "" {
				return d.Name
			}
		}
	}
	return by
}

func (p *page) totals(r Receipt) {
	pu := r.Purchase
	var gross, saved decimal.Decimal
	for _, l := range pu.Lines {
		gross = gross.Add(l.Quantity.Mul(l.UnitPrice).Round(p.scale))
		saved = saved.Add(l.Discount)
	}
	p.line(row(p.t.Sprintf("Subtotal"), p.amount(gross), p.width))
	if pu.OrderDiscount.IsPositive() {
		p.line(row(p.t.Sprintf("Order discount"), "-"+p.amount(pu.OrderDiscount), p.width))
	}
	if saved.IsPositive() {
		p.line(row(p.t.Sprintf("You saved"), p.amount(saved), p.width))
	}
	p.line(row(p.t.Sprintf("Total"), p.amount(pu.Total())+" "+pu.Currency, p.width))
	if r.Pricing != nil {
		for _, d := range r.Pricing.Decisions {
			if d.Source == pricing.SourceCoupon && !d.Applied {
				p.line(p.t.Sprintf("Coupon %s not applied: %s", d.Coupon, p.reason(r.Pricing, d)))
			}
		}
	}
	if pp := r.PointsPaid; pp != nil && pp.Points > 0 {
		p.line(row(p.t.Sprintf("Paid with points"), p.amount(pp.Value)+" ("+p.t.Sprintf("%d points", pp.Points)+")", p.width))
	}
	for _, pay := range r.Payments {
		p.line(row(p.t.Sprintf("Paid by %s", pay.Method), p.amount(pay.Amount), p.width))
		if sv := pay.StoredValue; sv != nil {
			if sv.Spent.Bonus.IsPositive() {
				p.line(row("  "+p.t.Sprintf("of which bonus"), p.amount(sv.Spent.Bonus), p.width))
			}
			bal := p.amount(sv.Balance.Total())
			if sv.Balance.Bonus.IsPositive() {
				bal += " (" + p.t.Sprintf("bonus %s", p.amount(sv.Balance.Bonus)) + ")"
			}
			p.line(row("  "+p.t.Sprintf("Card balance"), bal, p.width))
		}
	}
}

// reason words why a coupon did not apply.
func (p *page) reason(res *pricing.Result, d pricing.Decision) string {
	switch d.Reason {
	case pricing.ReasonMinSpend:
		return p.t.Sprintf("spend %s more", p.amount(d.Missing()))
	case pricing.ReasonExcluded, pricing.ReasonOtherCoupon:
		if d.By != "" {
			return p.t.Sprintf("cannot be combined with %s", p.byName(res, d.By))
		}
	}
	key, ok := reasonKeys[d.Reason]
	if !ok {
		return string(d.Reason)
	}
	return p.t.Sprintf(key)
}

var reasonKeys = map[pricing.Reason]string{
	pricing.ReasonNoLines:       "no item qualifies",
	pricing.ReasonChannel:       "not on this channel",
	pricing.ReasonStore:         "not in this store",
	pricing.ReasonNotYet:        "not valid yet",
	pricing.ReasonExpired:       "expired",
	pricing.ReasonDay:           "not valid today",
	pricing.ReasonMembersOnly:   "members only",
	pricing.ReasonTier:          "not for this tier",
	pricing.ReasonExclusive:     "cannot be combined",
	pricing.ReasonExcluded:      "cannot be combined",
	pricing.ReasonOtherCoupon:   "one coupon per order",
	pricing.ReasonNothingOff:    "nothing to take off",
	pricing.ReasonPresented:     "presented twice",
	pricing.ReasonUsedUp:        "fully used",
	pricing.ReasonCustomerLimit: "already used",
	pricing.ReasonNotYours:      "issued to another member",
	pricing.ReasonUnknownCode:   "unknown code",
	pricing.ReasonVoid:          "withdrawn",
}

func (p *page) points(r Receipt) {
	if q := r.Earned; q != nil {
		p.line(p.t.Sprintf("Points earned: %d", q.Total))
		for _, rule := range q.Rules {
			label := rule.RuleID + " (" + p.t.Sprintf(kindKey(rule.Kind, rule.RuleID)) + ")"
			p.line(row("  "+label, fmt.Sprint(rule.Points), p.width))
		}
		if !q.PendingUntil.IsZero() {
			p.line(p.t.Sprintf("Points pending until %s", q.PendingUntil.In(p.loc).Format("2006-01-02")))
		}
		if !q.ExpiresAt.IsZero() {
			// ExpiresAt is the first instant the points are gone: print
			// the last day they hold.
			p.line(p.t.Sprintf("Points expire %s", q.ExpiresAt.In(p.loc).Add(-1).Format("2006-01-02")))
		}
	}
	if b := r.Balance; b != nil {
		p.line(p.t.Sprintf("Balance: %d available, %d pending", b.Available, b.Pending))
		p.line(p.t.Sprintf("Tier: %s", p.tierName(r.Program, b.Tier)))
	}
	for _, ev := range r.Events {
		if ev.Type == loyalty.EventTierChanged && ev.Tier != nil && ev.Tier.Reason == loyalty.TierUpgraded {
			p.line(p.t.Sprintf("Upgraded to %s!", p.tierName(r.Program, ev.Tier.To)))
		}
	}
}

func (p *page) tierName(prog *loyalty.Program, code string) string {
	if prog == nil {
		return code
	}
	t, ok := prog.Tiers.Tier(code)
	if !ok {
		return code
	}
	if p.zh {
		return t.Name("zh-Hans")
	}
	return t.Name("en")
}

// kindKey is the catalog key naming the kind of rule that earned.
func kindKey(k loyalty.RuleKind, id string) string {
	if strings.HasPrefix(id, "tier:") {
		return "tier bonus"
	}
	switch k {
	case loyalty.KindBase:
		return "base rate"
	case loyalty.KindMultiplier:
		return "multiplier"
	case loyalty.KindProductBonus:
		return "product bonus"
	case loyalty.KindOrderBonus:
		return "order bonus"
	}
	return "event bonus"
}
