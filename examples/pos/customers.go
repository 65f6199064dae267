package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/shopspring/decimal"
)

func registerMembers(ctx context.Context, s *shop, p *printer) error {
	p.section("Registration")
	c, err := s.customers.Register(ctx, customer.Registration{
		Profile: customer.Profile{
			Name:     "王芳",
			Gender:   customer.GenderFemale,
			Birthday: customer.Birthday{Year: 1992, Month: time.February, Day: 29},
			Address:  customer.Address{Country: "CN", City: "上海", Street: "南京西路 1266 号"},
		},
		Phone:        "+86 138-0013-8000",
		MemberNumber: "M0001",
		Store:        "SH-01",
		Channel:      customer.ChannelInStore,
	})
	if err != nil {
		return err
	}
	s.member = c.ID
	phone, _ := c.Identity(customer.IdentityPhone)
	p.printf("registered %s, phone stored as %s\n", c.ID, mask(phone.Value))
	welcome, err := s.loyalty.Bonus(ctx, loyalty.BonusRequest{MemberID: c.ID, Event: loyalty.EventRegistration, Reference: "signup-" + c.ID})
	if err != nil {
		return err
	}
	p.printf("welcome bonus: %d points\n", welcome.Points)

	// A colleague at another till registers her again from the mini-program.
	_, err = s.customers.Register(ctx, customer.Registration{
		Profile: customer.Profile{Name: "王 芳", Birthday: customer.Birthday{Month: time.February, Day: 29}},
		Email:   "wangfang@example.com",
		Store:   "SH-02",
		Channel: customer.ChannelMiniProgram,
	})
	var dup *customer.DuplicateError
	if !errors.As(err, &dup) {
		return fmt.Errorf("expected a duplicate warning, got %v", err)
	}
	p.printf("second sign-up flagged: likely %s (%v)\n", dup.Candidates[0].CustomerID, dup.Candidates[0].Reasons)
	// The cashier adds the email to the existing member instead.
	if _, err := s.customers.AddIdentity(ctx, s.member, customer.IdentityEmail, "wangfang@example.com", false); err != nil {
		return err
	}
	p.printf("email added to %s instead of a second record\n", s.member)

	other, err := s.customers.Register(ctx, customer.Registration{
		Profile: customer.Profile{Name: "李雷"}, Phone: "13900139000", Store: "SH-01", Channel: customer.ChannelInStore,
	})
	if err != nil {
		return err
	}
	p.printf("registered %s\n", other.ID)
	return nil
}

func recordConsent(ctx context.Context, s *shop, p *printer) error {
	p.section("Consent")
	for _, ch := range []customer.ContactChannel{customer.ContactSMS, customer.ContactWeChat} {
		if _, err := s.customers.GrantConsent(ctx, s.member, customer.ConsentRequest{
			Purpose: customer.PurposeMarketing, Channel: ch, Source: "pos:SH-01 signature pad"}); err != nil {
			return err
		}
	}
	s.clock.advance(24 * time.Hour)
	if _, err := s.customers.WithdrawConsent(ctx, s.member, customer.ConsentRequest{
		Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS, Source: "SMS reply TD"}); err != nil {
		return err
	}
	for _, ch := range []customer.ContactChannel{customer.ContactSMS, customer.ContactWeChat, customer.ContactEmail} {
		ok, err := s.customers.CanContact(ctx, s.member, customer.PurposeMarketing, ch, s.clock.Now())
		if err != nil {
			return err
		}
		p.printf("marketing by %-8s %v\n", string(ch)+":", ok)
	}
	return nil
}

func ringUpPurchases(ctx context.Context, s *shop, p *printer) error {
	p.section("Purchases")
	// The member's app holds a "50 off 500" coupon issued to her alone.
	vip, err := s.coupons.Generate(ctx, coupon.GenerateRequest{ID: "vip-" + s.member, Definition: "vip-50-off-500",
		Count: 1, Owner: s.member, At: s.clock.Now()})
	if err != nil {
		return err
	}
	p.printf("coupon %s (50 off 500) issued to %s\n", coupon.Mask(vip[0]), s.member)
	sales := []sale{
		{id: "SH01-L1-000101", items: []pricing.Item{
			item("TEA-LJ-250", "龙井 250g", "tea", 2, "168.00"),
			item("CUP-GL-01", "玻璃杯", "teaware", 1, "45.00"),
		}},
		// She shows the spring flyer and her app coupon.
		{id: "SH01-L2-000102", items: []pricing.Item{
			item("TEA-PE-357", "普洱饼 357g", "tea", 1, "398.00"),
		}, codes: []string{coupon.Format(vip[0]), "tea-20"}},
	}
	for i, sl := range sales {
		s.clock.advance(time.Duration(i+1) * 72 * time.Hour)
		if err := s.ring(ctx, p, sl); err != nil {
			return err
		}
	}
	first, err := s.customers.Store().GetPurchase(ctx, sales[0].id)
	if err != nil {
		return err
	}
	// Lane 1 was offline and replays its queue: nothing is written twice.
	if _, err := s.customers.RecordPurchase(ctx, first.Purchase); err != nil {
		return err
	}
	replayed, err := s.loyalty.Earn(ctx, first.Purchase)
	if err != nil {
		return err
	}
	st, err := s.customers.Stats(ctx, s.member)
	if err != nil {
		return err
	}
	b, err := s.loyalty.Balance(ctx, s.member)
	if err != nil {
		return err
	}
	p.printf("lane 1 replayed %s after reconnecting: still %d orders, %d points for it, %d pending in all\n",
		first.Purchase.ID, st.Orders, replayed.Quote.Total, b.Pending)
	return nil
}

func takeReturn(ctx context.Context, s *shop, p *printer) error {
	p.section("Return")
	s.clock.advance(48 * time.Hour)
	// The refund is the returned tin's exact share of what the line cost
	// after its discounts.
	bought, err := s.customers.Store().GetPurchase(ctx, "SH01-L1-000101")
	if err != nil {
		return err
	}
	back := []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}}
	refund, err := pricing.Refund(bought.Purchase, nil, back)
	if err != nil {
		return err
	}
	r, err := s.customers.RecordReturn(ctx, customer.Return{
		ID: "SH01-R-000009", PurchaseID: "SH01-L1-000101", Store: "SH-01", Staff: "S-07",
		Time: s.clock.Now(), Currency: "CNY", Refund: refund, Reason: "gift duplicate", Lines: back,
	})
	if err != nil {
		return err
	}
	p.printf("%s: 1 × line 1 of %s back, refund %s CNY\n", r.ID, r.PurchaseID, r.Refund.StringFixed(2))
	pts, err := s.loyalty.Return(ctx, r)
	if err != nil {
		return err
	}
	p.printf("the tin earned %d points (per the stored quote): %d taken back, %d forgiven (within-balance policy)\n",
		pts.Owed, pts.Taken, pts.Forgiven)
	_, err = s.customers.RecordReturn(ctx, customer.Return{
		ID: "SH01-R-000010", PurchaseID: "SH01-L1-000101", Store: "SH-01", Time: s.clock.Now(), Currency: "CNY",
		Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(2)}},
	})
	p.printf("a second return of 2 more refused: %v\n", errors.Is(err, customer.ErrOverReturn))
	return nil
}

func printHistory(ctx context.Context, s *shop, p *printer) error {
	p.section("History of " + s.member + " (newest first)")
	for e, err := range s.customers.History(ctx, s.member) {
		if err != nil {
			return err
		}
		p.printf("%s  %-11s %s\n", e.Time.In(shanghai).Format("2006-01-02 15:04"), e.Kind, e.ID())
	}
	st, err := s.customers.Stats(ctx, s.member)
	if err != nil {
		return err
	}
	p.section("Stats")
	p.printf("orders %d, returns %d, first %s, last %s\n", st.Orders, st.Returns,
		st.FirstPurchase.In(shanghai).Format("2006-01-02"), st.LastPurchase.In(shanghai).Format("2006-01-02"))
	for _, m := range st.Money {
		p.printf("%s: gross %s, refunded %s, net %s, average order %s\n", m.Currency,
			m.Gross.StringFixed(2), m.Refunded.StringFixed(2), m.Net.StringFixed(2), m.AverageOrderValue.StringFixed(2))
	}
	p.printf("categories: tea %d, teaware %d\n", st.Categories["tea"], st.Categories["teaware"])
	return nil
}

// mask shows the last four digits of a phone number, as a receipt would.
func mask(phone string) string {
	if len(phone) <= 4 {
		return "****"
	}
	return "*******" + phone[len(phone)-4:]
}
