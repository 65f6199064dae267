package loyalty

import (
	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// PointsForReturn returns how many of the quote's points the returned
// quantities take back, in total. lines are the CUMULATIVE quantities
// returned so far against the purchase (every return of it, this one
// included); the service claws back the difference between this and what
// earlier returns already took:
//
//	take = q.PointsForReturn(all returns so far) − q.PointsForReturn(earlier returns)
//
// Per purchase line the share is floor(line points × returned quantity /
// bought quantity), so partial returns never take more than the line
// earned in total, and returning everything takes exactly what it earned.
// Quantities beyond what was bought count as the whole line; unknown line
// numbers and non-positive quantities count as nothing. purchase must be
// the purchase the quote was made for (its quantities are read).
func (q Quote) PointsForReturn(lines []customer.ReturnLine, purchase customer.Purchase) int64 {
	if len(q.Lines) == 0 || len(lines) == 0 {
		return 0
	}
	returned := make(map[int]decimal.Decimal, len(lines))
	for _, rl := range lines {
		if rl.Line < 1 || rl.Line > len(q.Lines) || rl.Line > len(purchase.Lines) || !amountSane(rl.Quantity) || rl.Quantity.Sign() <= 0 {
			continue
		}
		returned[rl.Line] = returned[rl.Line].Add(rl.Quantity)
	}
	var total int64
	for n, qty := range returned {
		total += lineShare(q.Lines[n-1].Points, qty, purchase.Lines[n-1].Quantity)
	}
	return total
}

// ClawbackFor is the points one return takes back, given the quantities of
// the earlier returns of the same purchase (see PointsForReturn).
func (q Quote) ClawbackFor(earlier, this []customer.ReturnLine, purchase customer.Purchase) int64 {
	all := make([]customer.ReturnLine, 0, len(earlier)+len(this))
	all = append(append(all, earlier...), this...)
	return q.PointsForReturn(all, purchase) - q.PointsForReturn(earlier, purchase)
}

// lineShare is floor(points × returned / bought), capped at points.
func lineShare(points int64, returned, bought decimal.Decimal) int64 {
	if points <= 0 {
		return 0
	}
	if !amountSane(bought) || bought.Sign() <= 0 || returned.GreaterThanOrEqual(bought) {
		return points
	}
	// QuoRem at precision 0 is exact integer division, never a rounded
	// 16-digit quotient.
	quo, _ := decimal.NewFromInt(points).Mul(returned).QuoRem(bought, 0)
	v := quo.IntPart()
	return min(max(v, 0), points)
}
