package money

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
)

// ErrCurrency is matched by every error about a currency code.
var ErrCurrency = errors.New("money: not an ISO 4217 currency with a minor unit")

// Errors that say why a code was refused; each matches ErrCurrency.
var (
	errCodeShape = fmt.Errorf("%w: a code is three upper-case letters", ErrCurrency)
	errCodeValue = fmt.Errorf("%w: unknown code", ErrCurrency)
	errNoMinor   = fmt.Errorf("%w: the code has no minor unit (metal, fund, test or no currency)", ErrCurrency)
)

// noMinorUnit lists the ISO 4217 codes whose minor unit the standard gives
// as "N.A.": they are units of account, not money a till takes, and CLDR's
// default of 2 decimals would be invented precision.
var noMinorUnit = map[string]bool{
	"XAG": true, "XAU": true, "XPD": true, "XPT": true, // precious metals
	"XBA": true, "XBB": true, "XBC": true, "XBD": true, // bond-market units
	"XDR": true, "XSU": true, "XUA": true, // fund units
	"XTS": true, "XXX": true, // testing, no currency
}

// MinorUnits returns the number of decimal places of an ISO 4217 currency
// code ("CNY" 2, "JPY" 0, "KWD" 3) per CLDR's standard rounding (see the
// package documentation for where that differs from ISO 4217). The code
// must be three upper-case letters that CLDR knows (historic codes such as
// "DEM" included) and that has a minor unit; otherwise the error matches
// ErrCurrency.
func MinorUnits(code string) (int32, error) {
	if !isUpperCode(code) {
		return 0, errCodeShape
	}
	if noMinorUnit[code] {
		return 0, errNoMinor
	}
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 0, errCodeValue
	}
	scale, _ := currency.Standard.Rounding(unit)
	return int32(scale), nil
}

func isUpperCode(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := range 3 {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}

// RoundToMinor rounds d to the minor unit of the currency code, half away
// from zero: 2.345 CNY is 2.35 and -2.345 CNY is -2.35, as on a receipt.
// The error is that of MinorUnits.
func RoundToMinor(d decimal.Decimal, code string) (decimal.Decimal, error) {
	scale, err := MinorUnits(code)
	if err != nil {
		return decimal.Decimal{}, err
	}
	return d.Round(scale), nil
}

// IsMinorUnitExact reports whether d is a whole number of units of
// 10^-scale, that is whether rounding it to scale places would not change
// it: with scale 2, 12.30 and 12.300 are exact and 12.305 is not. A
// negative scale asks for multiples of a power of ten (-2: hundreds).
// It works on the coefficient, so a huge scale costs no more than d's size.
func IsMinorUnitExact(d decimal.Decimal, scale int32) bool {
	exp := int64(d.Exponent())
	if exp >= -int64(scale) || d.IsZero() {
		return true
	}
	// The last k digits of the coefficient must all be zero.
	k := -int64(scale) - exp
	coef := d.Coefficient()
	if k > int64(coef.BitLen()) { // 10^k > 2^k > |coef| > 0
		return false
	}
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil)
	return new(big.Int).Rem(coef, pow).Sign() == 0
}

// Pow10 holds 10^0 to 10^18, every power of ten an int64 holds: the
// scales of minor-unit arithmetic.
var Pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()
