// Package money holds the currency rules shared by clientele's packages:
// how many minor units (decimal places) an ISO 4217 currency has, how an
// amount is rounded to them, and whether an amount already fits them.
//
// Amounts are shopspring/decimal values, never floats. Minor units come
// from CLDR's standard (non-cash) rounding data in golang.org/x/text/currency:
// CNY and USD have 2 decimals, JPY and KRW none, KWD 3. CLDR records the
// decimals used in practice, which for a few currencies are fewer than
// ISO 4217's nominal minor unit (IDR, COP, PKR and IQD have none in CLDR
// but 2 or 3 in ISO 4217); clientele follows CLDR so that amounts agree
// with what tills print. Cash increments (CHF to 0.05) are not applied:
// standard rounding has an increment of one minor unit for every code.
//
// Rounding is half away from zero, the convention of retail tills and
// receipts (0.125 CNY is 0.13, -0.125 is -0.13), not banker's rounding.
//
// The package is internal: its API may change with its callers.
package money
