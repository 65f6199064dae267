package metrics

import (
	"iter"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// synthetic is a deterministic shop: n purchases spread evenly over two
// years from 2024-01-01 UTC, by customers drawn with a skew (a few buy
// often, most rarely), a fifth of them anonymous, in CNY; about one
// purchase in 30 is partly refunded a week later.
type synthetic struct {
	purchases []customer.Purchase
	returns   []customer.Return
	span      Window
}

func newSynthetic(n, customers int, seed uint64) *synthetic {
	r := rand.New(rand.NewPCG(seed, 7))
	ids := make([]string, customers)
	for i := range ids {
		ids[i] = "c" + strconv.Itoa(i)
	}
	lines := make([][]customer.Line, 64)
	for i := range lines {
		price := decimal.New(int64(500+i*397), -2) // 5.00 to 255.11
		lines[i] = []customer.Line{{SKU: "SKU" + strconv.Itoa(i), Quantity: decimal.NewFromInt(1), UnitPrice: price, Total: price}}
	}
	stores := []string{"S0", "S1", "S2", "S3", "S4"}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	step := 2 * 365 * 24 * time.Hour / time.Duration(n)
	s := &synthetic{span: Window{From: start, To: start.Add(2 * 365 * 24 * time.Hour)}}
	s.purchases = make([]customer.Purchase, n)
	for i := range s.purchases {
		p := customer.Purchase{
			ID: "p" + strconv.Itoa(i), Store: stores[i%len(stores)],
			Channel: customer.ChannelInStore, Currency: "CNY",
			Time:  start.Add(time.Duration(i) * step),
			Lines: lines[r.IntN(len(lines))],
		}
		if r.IntN(5) != 0 {
			// Squaring a uniform draw skews purchases to low-numbered customers.
			u := r.Float64()
			p.CustomerID = ids[int(u*u*float64(customers))]
		}
		s.purchases[i] = p
		if r.IntN(30) == 0 {
			s.returns = append(s.returns, customer.Return{
				ID: "r" + strconv.Itoa(i), PurchaseID: p.ID, CustomerID: p.CustomerID,
				Time: p.Time.Add(7 * 24 * time.Hour), Currency: "CNY", Refund: p.Lines[0].Total.Div(decimal.NewFromInt(2)).Round(2),
			})
		}
	}
	return s
}

func (s *synthetic) purchaseSeq() iter.Seq2[customer.Purchase, error] { return seq(s.purchases...) }
func (s *synthetic) returnSeq() iter.Seq2[customer.Return, error]     { return seq(s.returns...) }
