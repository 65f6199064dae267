package loyalty

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Redeemable is how many points may pay for an order and what they are
// worth.
type Redeemable struct {
	Points int64           // whole multiples of Redemption.Step
	Value  decimal.Decimal // cash value, rounded down to the minor unit
	// Limit names what bound Points: "balance", "share", "max-points",
	// "order" or "minimum" (below the minimum: Points is 0).
	Limit string
}

// MaxRedeemable returns the most points a member holding available points
// may pay for an order of orderTotal with, and their cash value. It is
// pure: the service holds and commits the points.
func (p *Program) MaxRedeemable(orderTotal decimal.Decimal, available int64) (Redeemable, error) {
	minor := p.MinorUnit()
	total, ok := scaled(orderTotal, minor)
	switch {
	case total < 0 || orderTotal.IsNegative():
		return Redeemable{}, &FieldError{Field: "orderTotal", Problem: "must not be negative"}
	case !ok && !tooLarge(orderTotal, minor):
		return Redeemable{}, &FieldError{Field: "orderTotal", Problem: "must be an amount in the currency's minor unit"}
	case !ok || total > MaxAmountMinor:
		return Redeemable{}, &RangeError{Field: "orderTotal", Problem: "beyond the engine's limits"}
	}
	r := p.Redemption
	if r.Points <= 0 {
		return Redeemable{}, &FieldError{Field: "redemption.points", Problem: "must be positive"}
	}
	value, ok := scaled(r.Value, minor+4)
	if !ok || value <= 0 {
		return Redeemable{}, &FieldError{Field: "redemption.value", Problem: "must be a positive amount"}
	}
	share := int64(10000)
	if !r.MaxShare.IsZero() {
		share, _ = scaled(r.MaxShare, 4)
	}
	// cash allowed, in minor units × 10^4 (exact), then points that buy no
	// more than that: floor(cash × Points / value).
	cash := mul64(uint64(total), uint64(share)) // minor × 10^4
	pts, _ := cash.mulSmall(uint64(r.Points)).divmod(uint64(value))
	limit := "share"
	best := pts.clampInt64()
	if available < best {
		best, limit = max(available, 0), "balance"
	}
	if r.MaxPoints > 0 && r.MaxPoints < best {
		best, limit = r.MaxPoints, "max-points"
	}
	if r.Step > 1 {
		best -= best % r.Step
	}
	if best < r.MinPoints || best == 0 {
		return Redeemable{Value: decimal.Zero, Limit: "minimum"}, nil
	}
	return Redeemable{Points: best, Value: p.cashMinor(best, value, minor), Limit: limit}, nil
}

// CashValue returns what points are worth at checkout, rounded down to the
// currency's minor unit.
func (p *Program) CashValue(points int64) (decimal.Decimal, error) {
	minor := p.MinorUnit()
	value, ok := scaled(p.Redemption.Value, minor+4)
	if !ok || value <= 0 || p.Redemption.Points <= 0 {
		return decimal.Zero, &FieldError{Field: "redemption", Problem: "points and value must be positive"}
	}
	if points < 0 {
		return decimal.Zero, fmt.Errorf("%w: points must not be negative", ErrInvalid)
	}
	return p.cashMinor(points, value, minor), nil
}

// cashMinor is floor(points × value / Points) with value in minor × 10^4.
func (p *Program) cashMinor(points, value int64, minor int32) decimal.Decimal {
	q, _ := mul64(uint64(points), uint64(value)).divmod(uint64(p.Redemption.Points) * 10000)
	return minorDecimal(q.clampInt64(), minor)
}

func (r Redemption) validate(fe *fieldErrors, minor int32) {
	const path = "redemption"
	if r.Points <= 0 || r.Points > 1e9 {
		fe.add(path+".points", "must be 1 to 10^9")
	}
	if v, ok := scaled(r.Value, minor+4); !ok || v <= 0 || v > MaxAmountMinor {
		fe.add(path+".value", "must be a positive amount with at most 4 decimals beyond the minor unit")
	}
	if r.MinPoints < 0 || r.Step < 0 || r.MaxPoints < 0 {
		fe.add(path, "minPoints, step and maxPoints must not be negative")
	}
	if r.MaxPoints > 0 && r.MinPoints > r.MaxPoints {
		fe.add(path+".minPoints", "must not exceed maxPoints")
	}
	if v, ok := scaled(r.MaxShare, 4); !ok || v < 0 || v > 10000 {
		fe.add(path+".maxShare", "must be between 0 and 1 with at most 4 decimals")
	}
}
