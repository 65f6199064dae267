package customer

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// Bounds on a purchase, so a corrupt import fails clearly instead of
// straining a store.
const (
	maxLines = 1000
	minYear  = 1970
	maxYear  = 9999
)

// ValidatePurchase reports every problem with a purchase at once: IDs,
// channel, time, a valid ISO 4217 currency, at least one line, no negative
// quantities, prices or discounts, and line totals equal to quantity × unit
// price − discount rounded to the currency's minor unit (half away from
// zero). It does not look anything up.
func ValidatePurchase(p Purchase) error {
	var fe fieldErrors
	validateFact(&fe, p.ID, p.Store, p.Time)
	switch p.Channel {
	case ChannelInStore, ChannelOnline, ChannelApp, ChannelMiniProgram:
	default:
		fe.add("channel", "must be in-store, online, app or mini-program")
	}
	if !validText(p.CustomerID, maxIDLen) || !validText(p.Staff, maxIDLen) {
		fe.add("customerId", "customer and staff IDs must be at most %d bytes", maxIDLen)
	}
	scale, err := money.MinorUnits(p.Currency)
	if err != nil {
		fe.add("currency", "must be an ISO 4217 code")
	}
	switch {
	case len(p.Lines) == 0:
		fe.add("lines", "at least one line is required")
	case len(p.Lines) > maxLines:
		fe.add("lines", "at most %d lines", maxLines)
	}
	for i, l := range p.Lines {
		validateLine(&fe, fmt.Sprintf("lines[%d]", i), l, scale, err == nil)
	}
	subtotal := p.Subtotal()
	if p.OrderDiscount.IsNegative() {
		fe.add("orderDiscount", "must not be negative")
	} else if p.OrderDiscount.GreaterThan(subtotal) {
		fe.add("orderDiscount", "must not exceed the sum of line totals")
	}
	checkMinor(&fe, "orderDiscount", p.OrderDiscount, scale, err == nil)
	if p.Tax.IsNegative() {
		fe.add("tax", "must not be negative")
	} else if p.Tax.GreaterThan(p.Total()) {
		fe.add("tax", "must not exceed the total paid")
	}
	checkMinor(&fe, "tax", p.Tax, scale, err == nil)
	return fe.err()
}

func validateLine(fe *fieldErrors, field string, l Line, scale int32, scaleKnown bool) {
	if l.SKU == "" || !validText(l.SKU, maxIDLen) {
		fe.add(field+".sku", "required, at most %d bytes", maxIDLen)
	}
	for name, v := range map[string]string{".name": l.Name, ".category": l.Category, ".brand": l.Brand} {
		if !validText(v, maxNameLen) {
			fe.add(field+name, "at most %d bytes of valid UTF-8", maxNameLen)
		}
	}
	if !l.Quantity.IsPositive() {
		fe.add(field+".quantity", "must be positive")
	}
	if l.UnitPrice.IsNegative() {
		fe.add(field+".unitPrice", "must not be negative")
	}
	if l.Discount.IsNegative() {
		fe.add(field+".discount", "must not be negative")
	}
	gross := l.Quantity.Mul(l.UnitPrice)
	if l.Discount.GreaterThan(gross) && !l.UnitPrice.IsNegative() {
		fe.add(field+".discount", "must not exceed quantity × unit price")
	}
	if !scaleKnown {
		return
	}
	checkMinor(fe, field+".discount", l.Discount, scale, true)
	checkMinor(fe, field+".total", l.Total, scale, true)
	if want := gross.Sub(l.Discount).Round(scale); !l.Total.Equal(want) {
		fe.add(field+".total", "must equal quantity × unit price − discount (%s)", want.StringFixed(scale))
	}
}

// checkMinor reports an amount finer than the currency's minor unit.
func checkMinor(fe *fieldErrors, field string, d decimal.Decimal, scale int32, scaleKnown bool) {
	if scaleKnown && !money.IsMinorUnitExact(d, scale) {
		fe.add(field, "must be a whole number of the currency's minor unit")
	}
}

// validateFact checks what purchases, returns and interactions share.
func validateFact(fe *fieldErrors, id, store string, t time.Time) {
	if id == "" || !validText(id, maxIDLen) {
		fe.add("id", "required, at most %d bytes", maxIDLen)
	}
	if !validText(store, maxIDLen) {
		fe.add("store", "at most %d bytes", maxIDLen)
	}
	if t.IsZero() {
		fe.add("time", "required")
	} else if y := t.UTC().Year(); y < minYear || y > maxYear {
		fe.add("time", "year must be between %d and %d", minYear, maxYear)
	}
}
