package customer

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/daterange"
	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// maxLines bounds the lines of a purchase or return, so a corrupt import
// fails clearly instead of straining a store.
const maxLines = factlimit.MaxLines

// ValidatePurchase reports every problem with a purchase at once: IDs,
// channel, time, a valid ISO 4217 currency, at least one line, no negative
// quantities, prices or discounts, and line totals equal to quantity × unit
// price − discount rounded to the currency's minor unit (half away from
// zero). Amounts and quantities must be ones loyalty can compute with
// exactly: quantities with at most 6 decimals and a purchase total of at
// most 10^9 units, amounts of at most 10^12 minor units (ErrOutOfRange
// beyond). Times must lie between 1850 and 2199 (ErrOutOfRange). It does
// not look anything up.
func ValidatePurchase(p Purchase) error {
	var fe fieldErrors
	validateFact(&fe, p.ID, p.Store, p.Time)
	switch p.Channel {
	case ChannelInStore, ChannelOnline, ChannelApp, ChannelMiniProgram:
	default:
		fe.add("channel", "must be in-store, online, app or mini-program")
	}
	if !validLabel(p.CustomerID, maxIDLen) {
		fe.add("customerId", "at most %d bytes of valid UTF-8 without control characters", maxIDLen)
	}
	if !validLabel(p.Staff, maxIDLen) {
		fe.add("staff", "at most %d bytes of valid UTF-8 without control characters", maxIDLen)
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
	sane := true // every amount is small enough to add up
	before := len(fe)
	var sumQty, sumTotal int64
	for i, l := range p.Lines {
		q, t, ok := validateLine(&fe, fmt.Sprintf("lines[%d]", i), l, scale, err == nil)
		sane = sane && ok
		sumQty += max(q, 0)
		sumTotal += max(t, 0)
	}
	if sumQty > factlimit.MaxQuantity*1_000_000 {
		fe.addRange("lines", "the total quantity must be at most %d", factlimit.MaxQuantity)
	}
	if sumTotal > factlimit.MaxAmountMinor {
		fe.addRange("lines", "the sum of line totals must be at most %d minor units", factlimit.MaxAmountMinor)
	}
	// Comparisons across fields are made only on well-formed lines: a bad
	// line is reported once, at its own field, not again as an order
	// discount or tax that no longer fits the total it spoils.
	sane = len(fe) == before && sane
	sane = checkAmount(&fe, "orderDiscount", p.OrderDiscount, scale, err == nil) && sane
	sane = checkAmount(&fe, "tax", p.Tax, scale, err == nil) && sane
	if p.OrderDiscount.IsNegative() {
		fe.add("orderDiscount", "must not be negative")
	} else if sane && p.OrderDiscount.GreaterThan(p.Subtotal()) {
		fe.add("orderDiscount", "must not exceed the sum of line totals")
	}
	if p.Tax.IsNegative() {
		fe.add("tax", "must not be negative")
	} else if sane && !p.OrderDiscount.GreaterThan(p.Subtotal()) && p.Tax.GreaterThan(p.Total()) {
		fe.add("tax", "must not exceed the total paid")
	}
	return fe.err()
}

// validateLine reports the line's problems and returns its quantity in
// millionths and its total in minor units (0 when unknown), and whether
// its amounts are small enough for arithmetic.
func validateLine(fe *fieldErrors, field string, l Line, scale int32, scaleKnown bool) (qty, total int64, sane bool) {
	if l.SKU == "" || !validLabel(l.SKU, maxIDLen) {
		fe.add(field+".sku", "required, at most %d bytes of valid UTF-8 without control characters", maxIDLen)
	}
	for name, v := range map[string]string{".name": l.Name, ".category": l.Category, ".brand": l.Brand} {
		if !validLabel(v, maxNameLen) {
			fe.add(field+name, "at most %d bytes of valid UTF-8 without control characters", maxNameLen)
		}
	}
	sane = true
	q, ok := factlimit.Quantity(l.Quantity)
	switch {
	case !ok:
		fe.addRange(field+".quantity", "must have at most %d decimals and be at most %d", factlimit.QuantityScale, factlimit.MaxQuantity)
		sane = false
	case q <= 0:
		fe.add(field+".quantity", "must be positive")
	}
	if !factlimit.Sane(l.UnitPrice) {
		fe.addRange(field+".unitPrice", "is beyond the amounts the library computes with")
		sane = false
	} else if l.UnitPrice.IsNegative() {
		fe.add(field+".unitPrice", "must not be negative")
	}
	if l.Discount.IsNegative() {
		fe.add(field+".discount", "must not be negative")
	}
	sane = checkAmount(fe, field+".discount", l.Discount, scale, scaleKnown) && sane
	t, totalOK := checkAmountValue(fe, field+".total", l.Total, scale, scaleKnown)
	sane = totalOK && sane
	if !sane {
		return q, t, false
	}
	gross := l.Quantity.Mul(l.UnitPrice)
	if l.Discount.GreaterThan(gross) && q > 0 && !l.UnitPrice.IsNegative() {
		fe.add(field+".discount", "must not exceed quantity × unit price")
	}
	if !scaleKnown {
		return q, t, true
	}
	if want := gross.Sub(l.Discount).Round(scale); !l.Total.Equal(want) {
		fe.add(field+".total", "must equal quantity × unit price − discount (%s)", want.StringFixed(scale))
	}
	return q, t, true
}

// checkAmount reports an amount finer than the currency's minor unit or
// beyond factlimit.MaxAmountMinor, and whether it is small enough for
// arithmetic.
func checkAmount(fe *fieldErrors, field string, d decimal.Decimal, scale int32, scaleKnown bool) bool {
	_, ok := checkAmountValue(fe, field, d, scale, scaleKnown)
	return ok
}

func checkAmountValue(fe *fieldErrors, field string, d decimal.Decimal, scale int32, scaleKnown bool) (int64, bool) {
	if !scaleKnown {
		if !factlimit.Sane(d) {
			fe.addRange(field, "is beyond the amounts the library computes with")
			return 0, false
		}
		return 0, true
	}
	if v, ok := factlimit.Amount(d, scale); ok {
		return v, true
	}
	if factlimit.Sane(d) && !money.IsMinorUnitExact(d, scale) {
		fe.add(field, "must be a whole number of the currency's minor unit")
		return 0, true
	}
	fe.addRange(field, "must be at most %d minor units", factlimit.MaxAmountMinor)
	return 0, false
}

// validateFact checks what purchases, returns and interactions share.
func validateFact(fe *fieldErrors, id, store string, t time.Time) {
	if id == "" || !validLabel(id, maxIDLen) {
		fe.add("id", "required, at most %d bytes of valid UTF-8 without control characters", maxIDLen)
	}
	if !validLabel(store, maxIDLen) {
		fe.add("store", "at most %d bytes of valid UTF-8 without control characters", maxIDLen)
	}
	checkTime(fe, "time", t, true)
}

// checkTime reports a time outside the library's date range (see
// internal/daterange); a zero time is an error only when required.
func checkTime(fe *fieldErrors, field string, t time.Time, required bool) {
	switch {
	case t.IsZero():
		if required {
			fe.add(field, "required")
		}
	case !daterange.Contains(t):
		fe.addRange(field, "%s", daterange.Problem)
	}
}
