package metrics

import (
	"iter"

	"github.com/clientele-go/clientele/loyalty"
)

// CouponUsage counts coupon events in a window and how the coupons issued
// in it fared:
//
//	Issued   coupons with IssuedAt in the window
//	Used     coupons with UsedAt in the window (whenever issued)
//	Expired  unused coupons whose ValidUntil (the first instant they are
//	         no longer valid) lies in the window
//	UseRate  of the coupons issued in the window, those used before its end
//	         (Wilson interval; coupons still valid at the end count as not
//	         used, so a late window understates the final rate)
//	Open     of the coupons issued in the window, those unused and still
//	         valid at its end
type CouponUsage struct {
	Window  Window `json:"window"`
	Issued  int    `json:"issued"`
	Used    int    `json:"used"`
	Expired int    `json:"expired"`
	Open    int    `json:"open"`
	UseRate Rate   `json:"useRate"`
}

// CouponUsageIn counts the coupons of every account (loyalty.Account.Coupons
// flattened) against w.
func CouponUsageIn(coupons iter.Seq2[loyalty.Coupon, error], w Window) (CouponUsage, error) {
	if err := w.Validate(); err != nil {
		return CouponUsage{}, err
	}
	out := CouponUsage{Window: w}
	usedOfIssued := 0
	for c, err := range coupons {
		if err != nil {
			return CouponUsage{}, readErr("coupons", err)
		}
		if c.IssuedAt.IsZero() {
			return CouponUsage{}, fieldErr(ErrInvalidArgument, "coupon "+c.ID, "IssuedAt", "must be set")
		}
		used := !c.UsedAt.IsZero()
		if used && w.Contains(c.UsedAt) {
			out.Used++
		}
		if !used && !c.ValidUntil.IsZero() && w.Contains(c.ValidUntil) {
			out.Expired++
		}
		if !w.Contains(c.IssuedAt) {
			continue
		}
		out.Issued++
		switch {
		case used && c.UsedAt.Before(w.To):
			usedOfIssued++
		case (!used || !c.UsedAt.Before(w.To)) && (c.ValidUntil.IsZero() || c.ValidUntil.After(w.To)):
			out.Open++
		}
	}
	out.UseRate = newRate(usedOfIssued, out.Issued)
	return out, nil
}
