package metrics

import (
	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// buy is a one-line purchase paid in full.
func buy(id, cust, at, total string) customer.Purchase {
	return buyIn("CNY", id, cust, at, total)
}

func buyIn(cur, id, cust, at, total string) customer.Purchase {
	amount := dec(total)
	return customer.Purchase{
		ID: id, CustomerID: cust, Store: "S1", Channel: customer.ChannelInStore,
		Time: utc(at), Currency: cur,
		Lines: []customer.Line{{SKU: "SKU1", Quantity: decimal.NewFromInt(1), UnitPrice: amount, Total: amount}},
	}
}

func refund(id, purchase, at, amount string) customer.Return {
	return customer.Return{ID: id, PurchaseID: purchase, Time: utc(at), Currency: "CNY", Refund: dec(amount)}
}

// The worked example every behaviour test uses: four members (A–D) and
// anonymous sales, in CNY, read in Asia/Shanghai (UTC+8). Figures in the
// tests are computed by hand from this table.
//
//	p1  A     2026-01-05 10:00Z  100.00
//	p2  B     2026-01-20 10:00Z   50.00
//	p3  anon  2026-01-25 10:00Z   30.00
//	p4  A     2026-02-03 10:00Z   80.00   fully returned on 03-05 (r2)
//	p5  C     2026-02-10 10:00Z  120.00   20.00 refunded on 02-12 (r1)
//	p6  A     2026-02-15 10:00Z   20.00
//	p7  anon  2026-02-20 10:00Z   10.00
//	p8  D     2026-02-28 16:30Z   60.00   already 1 March in Shanghai
//	p9  B     2026-03-10 10:00Z   40.00
//	p10 C     2026-03-12 09:00Z   33.33   10.00 refunded on 04-02 (r4)
//
// r0 refunds 5.00 of p2 on 02-05.
var (
	examplePurchases = []customer.Purchase{
		buy("p1", "A", "2026-01-05T10:00:00Z", "100.00"),
		buy("p2", "B", "2026-01-20T10:00:00Z", "50.00"),
		buy("p3", "", "2026-01-25T10:00:00Z", "30.00"),
		buy("p4", "A", "2026-02-03T10:00:00Z", "80.00"),
		buy("p5", "C", "2026-02-10T10:00:00Z", "120.00"),
		buy("p6", "A", "2026-02-15T10:00:00Z", "20.00"),
		buy("p7", "", "2026-02-20T10:00:00Z", "10.00"),
		buy("p8", "D", "2026-02-28T16:30:00Z", "60.00"),
		buy("p9", "B", "2026-03-10T10:00:00Z", "40.00"),
		buy("p10", "C", "2026-03-12T09:00:00Z", "33.33"),
	}
	exampleReturns = []customer.Return{
		refund("r0", "p2", "2026-02-05T10:00:00Z", "5.00"),
		refund("r1", "p5", "2026-02-12T10:00:00Z", "20.00"),
		refund("r2", "p4", "2026-03-05T10:00:00Z", "80.00"),
		refund("r4", "p10", "2026-04-02T10:00:00Z", "10.00"),
	}
	// February and March in Shanghai.
	febSH = Window{From: utc("2026-01-31T16:00:00Z"), To: utc("2026-02-28T16:00:00Z")}
	marSH = Window{From: utc("2026-02-28T16:00:00Z"), To: utc("2026-03-31T16:00:00Z")}
)
