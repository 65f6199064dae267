package main

import (
	"context"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// nightlyRun is the batch a shop schedules after closing: pending points
// whose return window has passed are released, lapsed points expire.
func nightlyRun(ctx context.Context, s *shop, p *printer) error {
	p.section("Nightly points job")
	s.clock.set(time.Date(2026, 3, 19, 2, 0, 0, 0, shanghai))
	rep, err := s.loyalty.Expire(ctx, s.clock.Now(), "")
	if err != nil {
		return err
	}
	released := int64(0)
	for _, ev := range rep.Events {
		if ev.Type == loyalty.EventPointsReleased {
			released += ev.Points
		}
	}
	b, err := s.loyalty.Balance(ctx, s.member)
	if err != nil {
		return err
	}
	p.printf("%d accounts checked, %d points released, %d expired; %s now has %d points (worth %s)\n",
		rep.Accounts, released, rep.Points, s.member, b.Available, b.Value)
	return nil
}

// payWithPoints holds points at checkout, takes the rest in cash, and
// commits the hold once the payment went through.
func payWithPoints(ctx context.Context, s *shop, p *printer) error {
	p.section("Paying with points")
	s.clock.advance(8 * time.Hour)
	items := []pricing.Item{item("TEA-DHP-100", "大红袍 100g", "tea", 2, "198.00")}
	priced, _, err := s.price(ctx, sale{id: "SH01-L1-000107", items: items})
	if err != nil {
		return err
	}
	lines := priced.Purchase("quote", "").Lines
	total := priced.Total
	// Before paying, the cashier shows what the basket would earn: the
	// same computation Earn runs, with nothing written.
	q, err := s.loyalty.Quote(ctx, customer.Purchase{ID: "quote", CustomerID: s.member, Store: "SH-01",
		Channel: customer.ChannelInStore, Time: s.clock.Now(), Currency: "CNY", Lines: lines})
	if err != nil {
		return err
	}
	p.printf("quote: this basket would earn %d points if paid in full; points used to pay earn nothing\n", q.Total)
	most, err := s.loyalty.MaxRedeemable(ctx, s.member, total)
	if err != nil {
		return err
	}
	p.printf("may pay up to %d points (%s CNY, bound by %s)\n", most.Points, most.Value.StringFixed(2), most.Limit)
	hold, err := s.loyalty.Hold(ctx, loyalty.RedeemRequest{ID: "SH01-L1-H-0001", MemberID: s.member, Points: most.Points, OrderTotal: total})
	if err != nil {
		return err
	}
	// Points are a tender, booked as an order discount so that the part
	// paid with points earns no points.
	return s.ring(ctx, p, sale{id: "SH01-L1-000107", items: items, paid: hold})
}

// birthdayCoupons runs the monthly birthday job in February 2027: the
// member born on 29 February gets a coupon for 28 February, a common year.
func birthdayCoupons(ctx context.Context, s *shop, p *printer) error {
	p.section("Birthday coupons, February 2027")
	from := time.Date(2027, 2, 1, 0, 0, 0, 0, shanghai)
	s.clock.set(from)
	rep, err := s.loyalty.IssueBirthdayCoupons(ctx, s.customers.Store().Customers(ctx), from, from.AddDate(0, 1, 0))
	if err != nil {
		return err
	}
	for _, c := range rep.Coupons {
		p.printf("%s: %s, valid %s to %s\n", c.MemberID, c.Coupon.RewardID,
			c.Coupon.ValidFrom.In(shanghai).Format("2006-01-02"), c.Coupon.ValidUntil.In(shanghai).Add(-time.Second).Format("2006-01-02"))
	}
	return nil
}

// printPoints prints the member's points statement and tier progress.
func printPoints(ctx context.Context, s *shop, p *printer) error {
	p.section("Points statement of " + s.member)
	lines, err := s.loyalty.Statement(ctx, s.member)
	if err != nil {
		return err
	}
	for _, l := range lines {
		p.printf("%s  %-20s %6d  → available %5d, pending %4d\n", l.Time.In(shanghai).Format("2006-01-02"), l.Kind, l.Points, l.Available, l.Pending)
	}
	st, err := s.loyalty.TierStatus(ctx, s.member, langCode(s))
	if err != nil {
		return err
	}
	p.printf("tier %s\n", tierName(s.program, st.State.Effective(s.clock.Now()), s.lang))
	for _, l := range st.Lines {
		p.printf("  %s\n", l)
	}
	return nil
}

func langCode(s *shop) string {
	if s.lang.String() == "zh-Hans" {
		return "zh"
	}
	return "en"
}

// amount is a convenience for the demo's literals.
func amount(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func tierName(p *loyalty.Program, code string, lang language.Tag) string {
	tier, ok := p.Tiers.Tier(code)
	if !ok {
		return code
	}
	if lang == language.SimplifiedChinese {
		return tier.Name("zh-Hans")
	}
	return tier.Name("en")
}
