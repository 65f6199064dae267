package pricing

import (
	"github.com/clientele-go/clientele/internal/fielderr"
	"strconv"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/shopspring/decimal"
)

const (
	maxName       = 200  // bytes of an offer's name or a scope entry
	maxPromotions = 1000 // promotions in one rule set
	maxScope      = 1000 // entries in one scope list
	maxCoupons    = 20   // coupons presented on one basket
	maxPriority   = 1_000_000
	percentScale  = 2 // percentages have at most two decimals
)

// Validate reports every problem with the rules at once, each a
// [*FieldError] at its path.
func (r Rules) Validate() error {
	fe := fields.List()
	scale, err := money.MinorUnits(r.Currency)
	if err != nil {
		fe.Add("currency", "must be an ISO 4217 code")
	}
	if len(r.Promotions) > maxPromotions {
		fe.Add("promotions", "at most %d promotions", maxPromotions)
	}
	seen := make(map[string]int, len(r.Promotions))
	for i, o := range r.Promotions {
		path := "promotions[" + strconv.Itoa(i) + "]"
		if j, dup := seen[o.ID]; dup && o.ID != "" {
			fe.Add(path+".id", "same ID as promotions[%d]", j)
		}
		seen[o.ID] = i
		validateOffer(fe, path, o, scale, err == nil)
	}
	return fe.Err()
}

// Validate reports every problem with the offer in currency at once,
// each a [*FieldError] at its path below path ("offer.percent" for path
// "offer"). Coupon definitions use it for the offer they carry.
func (o Offer) Validate(currency, path string) error {
	fe := fields.List()
	scale, err := money.MinorUnits(currency)
	if err != nil {
		fe.Add("currency", "must be an ISO 4217 code")
	}
	validateOffer(fe, path, o, scale, err == nil)
	return fe.Err()
}

// validateOffer checks an offer: the fields its kind needs, and no field
// it does not read (a threshold on a percent-off is a mistake, not a
// no-op the author meant).
func validateOffer(fe *fielderr.List, path string, o Offer, scale int32, scaleKnown bool) {
	at := func(f string) string { return path + "." + f }
	if !id(o.ID) { // id and label: a valid basket's coupons are checked on every Price
		fe.Add(at("id"), "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if !label(o.Name, maxName) {
		fe.Add(at("name"), "at most %d bytes of valid UTF-8 without control characters", maxName)
	}
	amount := func(f string, d decimal.Decimal) {
		if !scaleKnown {
			return
		}
		if v, ok := amountOf(d, scale); !ok || v < 0 {
			fe.Add(at(f), "must be a non-negative amount exact in the currency's minor unit, at most %d minor units", int64(factlimit.MaxAmountMinor))
		}
	}
	amount("minSpend", o.MinSpend)
	amount("threshold", o.Threshold)
	amount("amount", o.Amount)
	amount("maxDiscount", o.MaxDiscount)
	if v, ok := scaled(o.Percent, percentScale); !ok || v < 0 || v > 100*100 {
		fe.Add(at("percent"), "must be between 0 and 100 with at most two decimals")
	}
	need := func(f string, set bool) {
		if !set {
			fe.Add(at(f), "required for kind %s", o.Kind)
		}
	}
	unused := func(f string, set bool) {
		if set {
			fe.Add(at(f), "not used by kind %s", o.Kind)
		}
	}
	units := func(f string, v, least int) {
		if v < least || v > 1000 {
			fe.Add(at(f), "must be between %d and 1000 for kind %s", least, o.Kind)
		}
	}
	pos := func(d decimal.Decimal) bool { return d.Sign() > 0 }
	switch o.Kind {
	case KindSpendSave:
		need("threshold", pos(o.Threshold))
		need("amount", pos(o.Amount))
		unused("percent", !o.Percent.IsZero())
		unused("n", o.N != 0)
		unused("buy", o.Buy != 0)
		unused("get", o.Get != 0)
	case KindAmountOff:
		need("amount", pos(o.Amount))
		unused("threshold", !o.Threshold.IsZero())
		unused("repeat", o.Repeat)
		unused("percent", !o.Percent.IsZero())
		unused("n", o.N != 0)
		unused("buy", o.Buy != 0)
		unused("get", o.Get != 0)
	case KindPercentOff, KindMemberDay:
		need("percent", pos(o.Percent))
		unused("threshold", !o.Threshold.IsZero())
		unused("repeat", o.Repeat)
		unused("amount", !o.Amount.IsZero())
		unused("n", o.N != 0)
		unused("buy", o.Buy != 0)
		unused("get", o.Get != 0)
		if o.Kind == KindMemberDay {
			need("when.daysOfMonth", len(o.When.DaysOfMonth) > 0)
		}
	case KindNForPrice:
		need("amount", pos(o.Amount))
		units("n", o.N, 2)
		unused("threshold", !o.Threshold.IsZero())
		unused("repeat", o.Repeat)
		unused("percent", !o.Percent.IsZero())
		unused("buy", o.Buy != 0)
		unused("get", o.Get != 0)
	case KindBuyXGetY:
		units("buy", o.Buy, 1)
		units("get", o.Get, 1)
		unused("threshold", !o.Threshold.IsZero())
		unused("repeat", o.Repeat)
		unused("amount", !o.Amount.IsZero())
		unused("n", o.N != 0)
	default:
		fe.Add(at("kind"), "must be spend-save, amount-off, percent-off, n-for-price, buy-x-get-y or member-day")
	}
	switch o.Stacking {
	case "", StackCombinable, StackExclusive, StackNoOtherCoupons:
	default:
		fe.Add(at("stacking"), "must be combinable, exclusive or no-other-coupons")
	}
	if o.Priority < -maxPriority || o.Priority > maxPriority {
		fe.Add(at("priority"), "must be between -%d and %d", maxPriority, maxPriority)
	}
	labels(fe, path, ".scope.skus", o.Scope.SKUs)
	labels(fe, path, ".scope.categories", o.Scope.Categories)
	labels(fe, path, ".scope.brands", o.Scope.Brands)
	labels(fe, path, ".scope.excludeSkus", o.Scope.ExcludeSKUs)
	labels(fe, path, ".scope.excludeTags", o.Scope.ExcludeTags)
	validateWhen(fe, path, o.When)
}

// validateWhen checks an offer's conditions; path is the offer's, and
// field paths are built only for a problem (a valid basket's coupons are
// checked on every Price).
func validateWhen(fe *fielderr.List, offer string, w When) {
	if len(w.Channels)+len(w.Stores)+len(w.Tiers)+len(w.DaysOfMonth) == 0 && w.From.IsZero() && w.Until.IsZero() {
		return
	}
	path := offer + ".when"
	for i, c := range w.Channels {
		switch c {
		case customer.ChannelInStore, customer.ChannelOnline, customer.ChannelApp, customer.ChannelMiniProgram:
		default:
			fe.Add(path+".channels["+strconv.Itoa(i)+"]", "must be in-store, online, app or mini-program")
		}
	}
	labels(fe, path, ".stores", w.Stores)
	labels(fe, path, ".tiers", w.Tiers)
	if !w.From.IsZero() && !w.Until.IsZero() && !w.From.Before(w.Until) {
		fe.Add(path+".until", "must be after from")
	}
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"from", w.From}, {"until", w.Until}} {
		if !f.t.IsZero() && (f.t.Year() < 1850 || f.t.Year() > 2199) {
			fe.Add(path+"."+f.name, "must lie between 1850 and 2199")
		}
	}
	var seen uint32
	for i, d := range w.DaysOfMonth {
		switch {
		case d < 1 || d > 31:
			fe.Add(path+".daysOfMonth["+strconv.Itoa(i)+"]", "must be a day of the month, 1 to 31")
		case seen&(1<<d) != 0:
			fe.Add(path+".daysOfMonth["+strconv.Itoa(i)+"]", "day given twice")
		default:
			seen |= 1 << d
		}
	}
}

// labels checks a list of one-line values at path+field.
func labels(fe *fielderr.List, path, field string, list []string) {
	if len(list) == 0 {
		return
	}
	if len(list) > maxScope {
		fe.Add(path+field, "at most %d entries", maxScope)
		return
	}
	for i, s := range list {
		if s == "" || !label(s, maxName) {
			fe.Add(path+field+"["+strconv.Itoa(i)+"]", "required, at most %d bytes of valid UTF-8 without control characters", maxName)
		}
	}
}
