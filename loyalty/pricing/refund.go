package pricing

import (
	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// Refund is the money a return gives back for a priced purchase: per
// line, the share of the line's Total (what was paid after every
// discount allocated to it) that the returned quantity carries. earlier
// are the quantities of the purchase's earlier returns, this the return's
// own. Shares are cumulative, floor(Total × returned so far / bought)
// minus what earlier returns took, so partial returns never give back
// more than the line cost and returning everything gives back exactly
// its Total. Unknown line numbers and non-positive quantities count as
// nothing; quantities beyond what was bought count as the whole line.
func Refund(p customer.Purchase, earlier, this []customer.ReturnLine) (decimal.Decimal, error) {
	scale, err := money.MinorUnits(p.Currency)
	if err != nil {
		return decimal.Zero, fields.New("purchase.currency", "must be an ISO 4217 code")
	}
	before := returned(p, earlier)
	after := returned(p, append(append([]customer.ReturnLine(nil), earlier...), this...))
	var sum int64
	for i, l := range p.Lines {
		t, ok := factlimit.Amount(l.Total, scale)
		q, okQ := factlimit.Quantity(l.Quantity)
		if !ok || !okQ || t <= 0 || q <= 0 {
			continue
		}
		sum += lineShare(t, after[i], q) - lineShare(t, before[i], q)
	}
	return decimal.New(sum, -scale), nil
}

// returned sums returned quantities (millionths) per purchase line.
func returned(p customer.Purchase, lines []customer.ReturnLine) []int64 {
	out := make([]int64, len(p.Lines))
	for _, rl := range lines {
		q, ok := factlimit.Quantity(rl.Quantity)
		if rl.Line < 1 || rl.Line > len(p.Lines) || !ok || q <= 0 {
			continue
		}
		out[rl.Line-1] += q
	}
	return out
}

// lineShare is floor(total × returned / bought), capped at total.
func lineShare(total, ret, bought int64) int64 {
	if ret >= bought {
		return total
	}
	v, ok := mulDivFloor(total, ret, bought)
	if !ok {
		return total
	}
	return v
}
