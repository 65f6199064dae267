package loyalty

import (
	"github.com/clientele-go/clientele/internal/factlimit"
	"strconv"

	"github.com/shopspring/decimal"
)

// Limits that keep every computation exact in 64/128-bit integers.
const (
	// MaxAmountMinor bounds the sum of a purchase's line amounts, in the
	// currency's minor unit (10^12: ten billion CNY).
	MaxAmountMinor = 1_000_000_000_000
	// MaxQuantity bounds the total quantity of a purchase.
	MaxQuantity = 1_000_000_000
	// MaxLines bounds the lines of a purchase.
	MaxLines = 1000
	// MaxRules bounds the earn rules of a programme.
	MaxRules = 64
	// MaxBonusPoints bounds a fixed bonus.
	MaxBonusPoints = 1_000_000
	// MaxQuotePoints bounds what one purchase may earn (10^15); a quote
	// beyond it is ErrOutOfRange rather than an overflow.
	MaxQuotePoints = 1_000_000_000_000_000

	qtyScale = 6 // quantities are exact to 6 decimals
)

// amountSane reports whether d is small enough in scale for decimal
// arithmetic to be cheap (huge exponents would make Cmp allocate
// gigabytes).
func amountSane(d decimal.Decimal) bool {
	if d.IsZero() {
		return true
	}
	e := d.Exponent()
	return e >= -30 && e <= 30 && d.NumDigits() <= 30
}

// scaled returns d × 10^scale as an int64 when that is an exact integer that
// fits; ok is false otherwise.
func scaled(d decimal.Decimal, scale int32) (int64, bool) { return factlimit.Scaled(d, scale) }

// amountOK reports whether d is an exact, bounded amount in minor units.
func amountOK(d decimal.Decimal, minor int32) bool {
	v, ok := scaled(d, minor)
	return ok && v >= -MaxAmountMinor && v <= MaxAmountMinor
}

// minorDecimal turns minor units back into a decimal amount.
func minorDecimal(v int64, minor int32) decimal.Decimal {
	if v == 0 {
		return decimal.Zero
	}
	return decimal.New(v, -minor)
}

func itoa(i int) string { return strconv.Itoa(i) }

// isoMinorUnits lists currencies whose minor unit is not 2 (ISO 4217).
var isoMinorUnits = map[string]int{
	"BHD": 3, "BIF": 0, "CLF": 4, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3,
	"ISK": 0, "JOD": 3, "JPY": 0, "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3,
	"OMR": 3, "PYG": 0, "RWF": 0, "TND": 3, "UGX": 0, "UYI": 0, "UYW": 4,
	"VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}

// MinorUnit returns the number of decimals of the programme's currency.
func (p *Program) MinorUnit() int32 {
	if p.MinorUnits != nil {
		return int32(*p.MinorUnits)
	}
	if m, ok := isoMinorUnits[p.Currency]; ok {
		return int32(m)
	}
	return 2
}

// tooLarge reports whether d has more integer digits than any amount the
// engine holds at scale (int64 minor units): out of range, whatever its
// decimals, rather than malformed.
func tooLarge(d decimal.Decimal, scale int32) bool {
	return int64(d.NumDigits())+int64(d.Exponent()) > int64(18-scale)
}
