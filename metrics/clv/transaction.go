package clv

import (
	"time"

	"github.com/shopspring/decimal"
)

// Transaction is one purchase as the summary needs it: who, when, how much.
// The package keeps its own input type so it depends on no storage model;
// hosts map their purchase records onto it at the call site.
type Transaction struct {
	// CustomerID is a pseudonymous key; it must not be empty.
	CustomerID string
	// Time is when the purchase happened; its calendar day is taken in the
	// summary's Location.
	Time time.Time
	// Amount is the purchase value. Zero and negative amounts are accepted by
	// the summary (a zero-value purchase still makes a purchase day); the
	// Gamma-Gamma fit refuses repeat buyers whose mean is not positive.
	Amount decimal.Decimal
}

// validate checks one transaction; index is its position in the stream.
func (t *Transaction) validate(index int) error {
	if t.CustomerID == "" {
		return fieldErr("Transaction.CustomerID", index, "empty")
	}
	if t.Time.IsZero() {
		return fieldErr("Transaction.Time", index, "zero time")
	}
	return nil
}
