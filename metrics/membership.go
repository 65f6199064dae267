package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/shopspring/decimal"
)

// MembershipRevenue is what paid membership fees brought in a window: the
// fees received and refunded in it, the revenue recognised in it (each
// term's fee earned straight line by day, membership.Term.Recognised) and
// the deferred revenue (the contract liability of terms still to serve)
// at its start and end. Deferred at the end = deferred at the start +
// received − refunded − recognised, which a test checks.
type MembershipRevenue struct {
	Window   Window `json:"window"`
	Currency string `json:"currency"`
	// Terms counts the terms read; Active those running at the window's end.
	Terms, Active int
	// Sold counts the cards bought in the window by members without a
	// running term, Renewals the terms bought in it while another ran (a
	// renewal starts when the running term ends, after it was paid), and
	// Refunds the terms refunded in it.
	Sold          int             `json:"sold"`
	Renewals      int             `json:"renewals"`
	Refunds       int             `json:"refunds"`
	Received      decimal.Decimal `json:"received"`
	Refunded      decimal.Decimal `json:"refunded"`
	Recognised    decimal.Decimal `json:"recognised"`
	DeferredStart decimal.Decimal `json:"deferredStart"`
	DeferredEnd   decimal.Decimal `json:"deferredEnd"`
}

// MembershipRevenueIn sums the terms' fees over w (membership.Store's
// AllTerms, one currency: filter first when the shop sells in several).
// Each term's figures are exact minor units; the sums are too.
func MembershipRevenueIn(terms iter.Seq2[membership.Term, error], w Window) (MembershipRevenue, error) {
	if err := w.Validate(); err != nil {
		return MembershipRevenue{}, err
	}
	out := MembershipRevenue{Window: w}
	guard := currencyGuard{}
	var received, refunded, recognised, defStart, defEnd int64
	before := w.From.Add(-1) // the instant just before the window
	for t, err := range terms {
		if err != nil {
			return MembershipRevenue{}, readErr("membership terms", err)
		}
		if err := guard.check("membership term", t.ID, t.Currency); err != nil {
			return MembershipRevenue{}, err
		}
		out.Terms++
		if w.Contains(t.PaidAt) {
			received += t.FeeMinor
			if t.Start.After(t.PaidAt) {
				out.Renewals++
			} else {
				out.Sold++
			}
		}
		if t.Refunded() && w.Contains(t.RefundedAt) {
			refunded += t.RefundMinor
			out.Refunds++
		}
		last := w.To.Add(-1)
		rec := t.Recognised(last)
		if t.PaidAt.Before(w.From) {
			rec -= t.Recognised(before)
			defStart += t.Deferred(before)
		}
		if !t.PaidAt.After(last) {
			recognised += rec
			defEnd += t.Deferred(last)
			if !last.Before(t.Start) && last.Before(t.End) && !(t.Refunded() && !last.Before(t.RefundedAt)) {
				out.Active++
			}
		}
	}
	out.Currency = guard.code
	scale := guard.scale
	out.Received, out.Refunded, out.Recognised = decimal.New(received, -scale), decimal.New(refunded, -scale), decimal.New(recognised, -scale)
	out.DeferredStart, out.DeferredEnd = decimal.New(defStart, -scale), decimal.New(defEnd, -scale)
	return out, nil
}
