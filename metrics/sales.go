package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// Sales is money taken in a window, net of returns.
//
// Gross is the sum of Purchase.Total over purchases in the window; Refunds
// is the sum of Return.Refund over returns of those purchases made before
// Window.To (a refund counts against the purchase it references, so an
// order's value is what the customer finally kept); Net = Gross − Refunds.
type Sales struct {
	Window   Window `json:"window"`
	Currency string `json:"currency"` // empty when there were no purchases
	Scale    int32  `json:"scale"`    // digits kept by rounded figures
	Rounding string `json:"rounding"` // RoundingRule

	Orders          int `json:"orders"`
	MemberOrders    int `json:"memberOrders"`
	AnonymousOrders int `json:"anonymousOrders"`
	Customers       int `json:"customers"` // distinct members with an order

	Gross     decimal.Decimal `json:"gross"`
	Refunds   decimal.Decimal `json:"refunds"`
	Net       decimal.Decimal `json:"net"`
	MemberNet decimal.Decimal `json:"memberNet"`

	// AOV is the average order value, Net / Orders, rounded.
	AOV decimal.Decimal `json:"aov"`
	// RevenuePerCustomer is MemberNet / Customers, rounded.
	RevenuePerCustomer decimal.Decimal `json:"revenuePerCustomer"`
	// MemberSalesShare is MemberNet / Net (0 when Net is 0);
	// MemberOrderShare is MemberOrders / Orders.
	MemberSalesShare float64 `json:"memberSalesShare"`
	MemberOrderShare float64 `json:"memberOrderShare"`

	// UnmatchedReturns counts purchases outside the window that had
	// refunds in the returns stream; those refunds are not in Refunds.
	UnmatchedReturns int `json:"unmatchedReturns"`
}

// SalesIn computes Sales for w. Purchases must be oldest first; those
// outside w are skipped. returns may be nil. All purchases and returns
// counted must share one currency (ErrMixedCurrency otherwise).
func SalesIn(purchases iter.Seq2[customer.Purchase, error], returns iter.Seq2[customer.Return, error], w Window) (Sales, error) {
	if err := w.Validate(); err != nil {
		return Sales{}, err
	}
	var guard currencyGuard
	refunds, err := indexRefunds(returns, w.To, &guard)
	if err != nil {
		return Sales{}, err
	}
	out := Sales{Window: w, Rounding: RoundingRule}
	var gross, refunded, memberNet minorSum
	members := map[string]struct{}{}
	err = walkPurchases(purchases, w.To, func(p *customer.Purchase) error {
		if p.Time.Before(w.From) {
			return nil
		}
		if err := guard.check("purchase", p.ID, p.Currency); err != nil {
			return err
		}
		a := amountsOf(p, refunds.take(p.ID), guard.scale)
		out.Orders++
		a.addGross(&gross, guard.scale)
		a.addRefund(&refunded, guard.scale)
		if p.Anonymous() {
			out.AnonymousOrders++
			return nil
		}
		out.MemberOrders++
		a.addNet(&memberNet, guard.scale)
		members[p.CustomerID] = struct{}{}
		return nil
	})
	if err != nil {
		return Sales{}, err
	}
	out.Currency, out.Scale = guard.code, guard.scale
	out.Customers = len(members)
	out.Gross, out.Refunds = gross.value(out.Scale), refunded.value(out.Scale)
	out.MemberNet = memberNet.value(out.Scale)
	out.Net = out.Gross.Sub(out.Refunds)
	out.AOV = perHead(out.Net, out.Orders, out.Scale)
	out.RevenuePerCustomer = perHead(out.MemberNet, out.Customers, out.Scale)
	out.MemberSalesShare = ratio(out.MemberNet, out.Net)
	if out.Orders > 0 {
		out.MemberOrderShare = float64(out.MemberOrders) / float64(out.Orders)
	}
	out.UnmatchedReturns = refunds.unmatched()
	return out, nil
}
