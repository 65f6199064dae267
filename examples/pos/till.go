package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/receipt"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// sale is a basket at the till: what is scanned and the coupon codes the
// customer shows.
type sale struct {
	id    string
	items []pricing.Item
	codes []string
	paid  loyalty.RedeemResult // points held as a tender, if any
}

// ring prices a basket (member price, tier discount, promotions,
// coupons), holds the coupons that applied, records the sale, earns its
// points, commits the holds and prints the receipt.
func (s *shop) ring(ctx context.Context, p *printer, sl sale) error {
	res, codes, err := s.price(ctx, sl)
	if err != nil {
		return err
	}
	holds, err := s.holdCoupons(ctx, sl, res, codes)
	if err != nil {
		return err
	}
	pu := res.Purchase(sl.id, "S-07")
	pu.OrderDiscount = sl.paid.Value // points are a tender, booked as an order discount
	return s.checkout(ctx, p, pu, &res, sl.paid, holds)
}

// price presents the codes and prices the basket. It returns the codes
// as presented by the Ref pricing names each coupon by, so the coupons
// that applied are held with the code the customer showed.
func (s *shop) price(ctx context.Context, sl sale) (pricing.Result, map[string]string, error) {
	b := pricing.Basket{Currency: "CNY", Store: "SH-01", Channel: customer.ChannelInStore, Time: s.clock.Now(), Items: sl.items}
	if s.member != "" {
		bal, err := s.loyalty.Balance(ctx, s.member)
		if err != nil {
			return pricing.Result{}, nil, err
		}
		m := &pricing.Member{ID: s.member, Tier: bal.Tier}
		if t, ok := s.program.Tiers.Tier(bal.Tier); ok {
			m.TierDiscount = t.Benefits.DiscountPercent
		}
		b.Member = m
	}
	codes := map[string]string{}
	for _, code := range sl.codes {
		c, err := s.coupons.Present(ctx, code, s.member, b.Time)
		if err != nil {
			return pricing.Result{}, nil, err
		}
		b.Coupons = append(b.Coupons, c)
		codes[c.Ref] = code
	}
	res, err := s.pricing.Price(b)
	return res, codes, err
}

// holdCoupons holds one use of each coupon that applied, under an ID
// made from the sale's, so a retried sale holds nothing twice.
func (s *shop) holdCoupons(ctx context.Context, sl sale, res pricing.Result, codes map[string]string) ([]string, error) {
	var holds []string
	for _, d := range res.Decisions {
		if d.Source != pricing.SourceCoupon || !d.Applied {
			continue
		}
		id := sl.id + ":" + d.Coupon
		if _, err := s.coupons.Hold(ctx, coupon.HoldRequest{ID: id, Code: codes[d.Coupon], Customer: s.member, At: s.clock.Now()}); err != nil {
			return nil, errors.Join(fmt.Errorf("coupon %s: %w", d.Coupon, err), s.release(ctx, holds))
		}
		holds = append(holds, id)
	}
	return holds, nil
}

// checkout records a sale, earns its points, commits the coupon and
// points holds and prints the receipt.
func (s *shop) checkout(ctx context.Context, p *printer, sale customer.Purchase, priced *pricing.Result, paid loyalty.RedeemResult, holds []string) error {
	pu, err := s.customers.RecordPurchase(ctx, sale)
	if err != nil {
		return errors.Join(err, s.release(ctx, holds))
	}
	earned, err := s.loyalty.Earn(ctx, pu)
	if err != nil {
		return err
	}
	for _, h := range holds {
		if _, err := s.coupons.Commit(ctx, h, pu.ID, s.clock.Now()); err != nil {
			return err
		}
	}
	if paid.ID != "" {
		if paid, err = s.loyalty.CommitHold(ctx, s.member, paid.ID, pu.ID); err != nil {
			return err
		}
	}
	balance, err := s.loyalty.Balance(ctx, s.member)
	if err != nil {
		return err
	}
	r := receipt.Receipt{Purchase: pu, Pricing: priced, Earned: &earned.Quote, Events: earned.Events,
		Balance: &balance, Program: s.program}
	if paid.Points > 0 {
		r.PointsPaid = &paid
	}
	if rest := pu.Total(); rest.IsPositive() {
		method := "WeChat Pay"
		if s.lang == language.SimplifiedChinese {
			method = "微信支付"
		}
		r.Payments = []receipt.Payment{{Method: method, Amount: rest}}
	}
	if p.err == nil {
		p.err = receipt.Render(p.w, r, &receipt.Options{Lang: s.lang, Location: shanghai, Width: 44})
	}
	return nil
}

// release gives back the coupon uses of a sale that was not recorded.
func (s *shop) release(ctx context.Context, holds []string) error {
	var errs []error
	for _, h := range holds {
		if _, err := s.coupons.Release(ctx, h, s.clock.Now()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// item is a convenience for the demo's literals.
func item(sku, name, category string, qty int64, price string) pricing.Item {
	return pricing.Item{SKU: sku, Name: name, Category: category, Brand: "Clientele Tea", Quantity: decimal.NewFromInt(qty), UnitPrice: amount(price)}
}
