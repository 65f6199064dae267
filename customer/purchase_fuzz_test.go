package customer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// FuzzValidatePurchase feeds arbitrary numbers and text into a purchase:
// validation must never panic, must either accept or return ErrInvalid,
// and whatever it accepts must satisfy the line-total rule.
func FuzzValidatePurchase(f *testing.F) {
	f.Add("p1", "CNY", "2", "49.90", "9.80", "90.00", "0", "0", int64(1767225600))
	f.Add("p2", "JPY", "0.5", "333", "0", "167", "1", "0", int64(0))
	f.Add("", "usd", "-1", "1e400", "x", "", "-0", "NaN", int64(-1))
	f.Add("p3", "BHD", "1.234", "0.999", "0.001", "1.232", "0", "0.1", int64(253402300800))
	f.Fuzz(func(t *testing.T, id, cur, qty, price, disc, total, orderDisc, tax string, unix int64) {
		p := customer.Purchase{
			ID: id, Store: "s", Channel: customer.ChannelInStore, Currency: cur, Time: time.Unix(unix, 0),
			Lines:         []customer.Line{{SKU: "x", Quantity: parse(qty), UnitPrice: parse(price), Discount: parse(disc), Total: parse(total)}},
			OrderDiscount: parse(orderDisc), Tax: parse(tax),
		}
		err := customer.ValidatePurchase(p)
		if err != nil {
			if !errors.Is(err, customer.ErrInvalid) {
				t.Fatalf("error does not match ErrInvalid: %v", err)
			}
			return
		}
		l := p.Lines[0]
		if l.Quantity.Sign() <= 0 || l.UnitPrice.Sign() < 0 || l.Total.Sign() < 0 || p.Total().Sign() < 0 {
			t.Fatalf("accepted a negative amount: %+v", l)
		}
	})
}

// parse turns fuzz text into a decimal the way a careful host would: bad
// text becomes zero.
func parse(s string) decimal.Decimal {
	d, err := decimal.NewFromString(s)
	if err != nil || len(s) > 40 {
		return decimal.Zero
	}
	return d
}
