package metrics

import (
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// walkPurchases feeds fn each purchase with Time before until, checking
// that the stream is oldest first (as customer.Store.PurchasesBetween
// yields it) and stopping at the first purchase at or after until. fn gets
// a pointer to avoid copying the record; it must not keep it.
func walkPurchases(purchases iter.Seq2[customer.Purchase, error], until time.Time, fn func(p *customer.Purchase) error) error {
	var prev time.Time
	for p, err := range purchases {
		if err != nil {
			return readErr("purchases", err)
		}
		if p.Time.Before(prev) {
			return fieldErr(ErrUnsorted, "purchase "+p.ID, "Time", "earlier than the purchase before it")
		}
		prev = p.Time
		if !p.Time.Before(until) {
			return nil
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}
