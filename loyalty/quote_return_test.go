package loyalty

import (
	"encoding/json"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func rl(line int, qty string) customer.ReturnLine {
	return customer.ReturnLine{Line: line, Quantity: dec(qty)}
}

func TestPointsForReturnPartialReturnsAreExact(t *testing.T) {
	p := testProgram(t, nil)
	pu := buy(sh(t, 2026, 6, 1, 12, 0), ln("A", "f", "3", "3.40"), ln("B", "f", "1", "5"))
	q := quote(t, p, QuoteInput{Purchase: pu})
	require.Equal(t, int64(10), q.Lines[0].Points)
	require.Equal(t, int64(5), q.Lines[1].Points)

	// Three returns of one unit of line 1 take 3, 3, 4: never more than
	// earned, and everything once everything is back.
	var earlier []customer.ReturnLine
	var taken []int64
	for range 3 {
		this := []customer.ReturnLine{rl(1, "1")}
		taken = append(taken, q.ClawbackFor(earlier, this, pu))
		earlier = append(earlier, this...)
	}
	assert.Equal(t, []int64{3, 3, 4}, taken)
	assert.Equal(t, int64(10), q.PointsForReturn(earlier, pu))
	assert.Equal(t, int64(15), q.PointsForReturn([]customer.ReturnLine{rl(1, "3"), rl(2, "1")}, pu))
}

func TestPointsForReturnOddInput(t *testing.T) {
	p := testProgram(t, nil)
	pu := buy(sh(t, 2026, 6, 1, 12, 0), ln("A", "f", "2.5", "4"), ln("B", "f", "1", "7"))
	q := quote(t, p, QuoteInput{Purchase: pu})
	cases := []struct {
		name  string
		lines []customer.ReturnLine
		want  int64
	}{
		{"nothing", nil, 0},
		{"fractional", []customer.ReturnLine{rl(1, "1.25")}, 5},
		{"more than bought counts as the line", []customer.ReturnLine{rl(1, "9")}, 10},
		{"unknown line", []customer.ReturnLine{rl(3, "1"), rl(0, "1")}, 0},
		{"negative quantity", []customer.ReturnLine{rl(2, "-1")}, 0},
		{"huge exponent", []customer.ReturnLine{{Line: 2, Quantity: decimal.New(1, 1_000_000)}}, 0},
		{"split entries add up", []customer.ReturnLine{rl(1, "1"), rl(1, "1.5")}, 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, q.PointsForReturn(c.lines, pu))
		})
	}
}

// Any sequence of partial returns takes back at most what each line earned,
// and exactly that once the line is fully returned.
func TestPointsForReturnSequences(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	pu := benchPurchase(30)
	q := quote(t, p, QuoteInput{Purchase: pu, Member: Member{Tier: "gold", FirstPurchase: true}})
	require.Positive(t, q.Total)
	for _, parts := range []int{1, 2, 3, 7} {
		var earlier []customer.ReturnLine
		var total int64
		for k := 1; k <= parts; k++ {
			var this []customer.ReturnLine
			for i, l := range pu.Lines {
				this = append(this, customer.ReturnLine{Line: i + 1, Quantity: l.Quantity.Div(decimal.NewFromInt(int64(parts)))})
			}
			if k == parts { // the last return takes what is left exactly
				for i, l := range pu.Lines {
					sum := decimal.Zero
					for _, e := range earlier {
						if e.Line == i+1 {
							sum = sum.Add(e.Quantity)
						}
					}
					this[i].Quantity = l.Quantity.Sub(sum)
				}
			}
			got := q.ClawbackFor(earlier, this, pu)
			assert.GreaterOrEqual(t, got, int64(0))
			total += got
			earlier = append(earlier, this...)
			assert.LessOrEqual(t, total, q.Total)
		}
		assert.Equal(t, q.Total, total, "parts=%d", parts)
	}
}

// The service stores the quote as JSON; the stored quote claws back the
// same points.
func TestQuoteJSONRoundTrip(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	pu := benchPurchase(12)
	q := quote(t, p, QuoteInput{Purchase: pu, Member: Member{Tier: "gold", FirstPurchase: true}})
	b, err := json.Marshal(q)
	require.NoError(t, err)
	var back Quote
	require.NoError(t, json.Unmarshal(b, &back))
	checkQuote(t, back)
	returns := []customer.ReturnLine{rl(2, "1"), rl(5, "0.1"), rl(7, "2")}
	assert.Equal(t, q.PointsForReturn(returns, pu), back.PointsForReturn(returns, pu))
	assert.Equal(t, q.Total, back.Total)
	assert.True(t, q.ExpiresAt.Equal(back.ExpiresAt))
}
