package membership_test

import (
	"context"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/shopspring/decimal"
)

// A 365 CNY card for a year, bought on 1 January; refunded on 2 July
// after using 20 CNY of benefits: the 182 days not yet begun come back.
// The fee is earned by the day in the meantime.
func ExampleService_Refund() {
	p := plan()
	p.Benefits.MonthlyCoupons = nil
	s, _ := membership.NewService(membership.NewMemoryStore(), nil, []membership.Plan{p})
	ctx := context.Background()
	term, _ := s.Buy(ctx, membership.BuyRequest{ID: "pay-1", MemberID: "m1", PlanID: p.ID, At: sh(2026, 1, 1, 10)})
	fmt.Println("term", term.Start.In(shanghai).Format("2006-01-02"), "to", term.End.In(shanghai).Format("2006-01-02"), term.Days(), "days")
	fmt.Println("recognised by 31 March:", decimal.New(term.Recognised(sh(2026, 3, 31, 12)), -2))
	r, err := s.Refund(ctx, membership.RefundRequest{ID: "ref-1", MemberID: "m1", TermID: "pay-1", At: sh(2026, 7, 2, 9),
		BenefitsUsed: decimal.RequireFromString("20")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("refund:", decimal.New(r.RefundMinor, -2))
	fmt.Println("recognised in all:", decimal.New(r.Recognised(sh(2027, 1, 1, 0)), -2))
	// Output:
	// term 2026-01-01 to 2027-01-01 365 days
	// recognised by 31 March: 90
	// refund: 182
	// recognised in all: 183
}
