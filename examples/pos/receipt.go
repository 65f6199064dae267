package main

import (
	"strings"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"golang.org/x/text/language"
)

// receipt is what the till prints after a sale: the lines, the total, and
// every point explained rule by rule, in the shop's language.
type receipt struct {
	purchase customer.Purchase
	earned   loyalty.EarnResult
	paid     loyalty.RedeemResult // points used as cash, if any
	balance  loyalty.BalanceView
	program  *loyalty.Program
	lang     language.Tag
}

func (r receipt) print(p *printer) {
	t := newPrinter(r.lang)
	pu := r.purchase
	p.printf("%s\n", strings.Repeat("-", 44))
	p.printf("%s\n", t.Sprintf("Receipt %s", pu.ID))
	p.printf("%s\n", t.Sprintf("Store %s  Staff %s  %s", pu.Store, pu.Staff, pu.Time.In(shanghai).Format("2006-01-02 15:04")))
	for _, l := range pu.Lines {
		p.printf("  %-12s %s × %7s %9s\n", l.Name, l.Quantity, l.UnitPrice.StringFixed(2), l.Total.StringFixed(2))
	}
	if !pu.OrderDiscount.IsZero() {
		p.printf("  %-28s %9s\n", t.Sprintf("Order discount"), pu.OrderDiscount.Neg().StringFixed(2))
	}
	p.printf("  %-28s %9s CNY\n", t.Sprintf("Total"), pu.Total().StringFixed(2))
	if r.paid.Points > 0 {
		p.printf("  %-28s %9s (%d)\n", t.Sprintf("Paid with points"), r.paid.Value.StringFixed(2), r.paid.Points)
	}
	q := r.earned.Quote
	p.printf("%s\n", t.Sprintf("Points earned: %d", q.Total))
	for _, rule := range q.Rules {
		p.printf("%s\n", t.Sprintf("  %-32s %5d", rule.RuleID+" ("+t.Sprintf(kindName(rule.Kind, rule.RuleID))+")", rule.Points))
	}
	for _, l := range q.Lines {
		if l.Points > 0 {
			p.printf("%s\n", t.Sprintf("  line %d %-12s %5d", l.Line, l.SKU, l.Points))
		}
	}
	if !q.PendingUntil.IsZero() {
		p.printf("%s\n", t.Sprintf("Points pending until %s", q.PendingUntil.In(shanghai).Format("2006-01-02")))
	}
	if !q.ExpiresAt.IsZero() {
		p.printf("%s\n", t.Sprintf("Points expire %s", q.ExpiresAt.In(shanghai).Add(-1).Format("2006-01-02")))
	}
	p.printf("%s\n", t.Sprintf("Balance: %d available, %d pending", r.balance.Available, r.balance.Pending))
	p.printf("%s\n", t.Sprintf("Tier: %s", tierName(r.program, r.balance.Tier, r.lang)))
	for _, ev := range r.earned.Events {
		if ev.Type == loyalty.EventTierChanged && ev.Tier.Reason == loyalty.TierUpgraded {
			p.printf("%s\n", t.Sprintf("Upgraded to %s!", tierName(r.program, ev.Tier.To, r.lang)))
		}
	}
	p.printf("%s\n", t.Sprintf("Thank you for shopping with us"))
}

// kindName is the catalog key naming what kind of rule earned.
func kindName(k loyalty.RuleKind, id string) string {
	if strings.HasPrefix(id, "tier:") {
		return "tier bonus"
	}
	switch k {
	case loyalty.KindBase:
		return "base rate"
	case loyalty.KindMultiplier:
		return "multiplier"
	case loyalty.KindProductBonus:
		return "product bonus"
	case loyalty.KindOrderBonus:
		return "order bonus"
	}
	return "event bonus"
}

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
