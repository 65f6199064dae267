package segment

import (
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// TxnsOf adapts customer purchases and returns to the lean Txn stream:
// each purchase's Total and each return's Refund converted exactly to
// minor units at currency's scale (ErrCurrency for another currency or
// a finer amount). Anonymous sales are left out. Purchases come first,
// then returns; Summarize does not need them interleaved.
func TxnsOf(purchases iter.Seq2[customer.Purchase, error], returns iter.Seq2[customer.Return, error], currency string) iter.Seq2[Txn, error] {
	scale := ScaleOf(currency)
	return func(yield func(Txn, error) bool) {
		if purchases != nil {
			for p, err := range purchases {
				if err != nil {
					yield(Txn{}, fmt.Errorf("segment: reading purchases: %w", err))
					return
				}
				if p.Anonymous() {
					continue
				}
				t, err := purchaseTxn(p, currency, scale)
				if !yield(t, err) || err != nil {
					return
				}
			}
		}
		if returns != nil {
			for r, err := range returns {
				if err != nil {
					yield(Txn{}, fmt.Errorf("segment: reading returns: %w", err))
					return
				}
				if r.CustomerID == "" {
					continue
				}
				t, err := returnTxn(r, currency, scale)
				if !yield(t, err) || err != nil {
					return
				}
			}
		}
	}
}

func purchaseTxn(p customer.Purchase, currency string, scale int32) (Txn, error) {
	if p.Currency != currency {
		return Txn{}, fmt.Errorf("%w: purchase %s is %q, want %q", ErrCurrency, p.ID, p.Currency, currency)
	}
	v, err := purchaseMinor(p, scale)
	if err != nil {
		return Txn{}, fmt.Errorf("purchase %s: %w", p.ID, err)
	}
	return Txn{CustomerID: p.CustomerID, Unix: p.Time.Unix(), Net: v}, nil
}

func returnTxn(r customer.Return, currency string, scale int32) (Txn, error) {
	if r.Currency != currency {
		return Txn{}, fmt.Errorf("%w: return %s is %q, want %q", ErrCurrency, r.ID, r.Currency, currency)
	}
	v, err := ToMinor(r.Refund, scale)
	if err != nil {
		return Txn{}, fmt.Errorf("return %s: %w", r.ID, err)
	}
	return Txn{CustomerID: r.CustomerID, Unix: r.Time.Unix(), Net: v, Refund: true}, nil
}

// SummarizePurchases is Summarize over TxnsOf.
func SummarizePurchases(purchases iter.Seq2[customer.Purchase, error], returns iter.Seq2[customer.Return, error],
	currency string, asOf time.Time, expectedCustomers int) ([]Summary, error) {
	return Summarize(TxnsOf(purchases, returns, currency), asOf, expectedCustomers)
}
