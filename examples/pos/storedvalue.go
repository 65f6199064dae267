package main

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/metrics"
)

// storedValueProgramme is the shop's 储值 programme: 500 gets 30 bonus,
// 1,000 gets 100; bonus good for a year; payments spend paid and bonus in
// proportion; a cash-out forfeits the bonus that came with the money.
var storedValueProgramme = []byte(`{
	"currency": "CNY",
	"spendOrder": "proportional",
	"topUps": [
		{"id": "pay500", "pay": "500", "bonus": "30"},
		{"id": "pay1000", "pay": "1000", "bonus": "100"}
	],
	"bonusValidDays": 365,
	"timeZone": "Asia/Shanghai",
	"cashOut": "forfeit-proportional"
}`)

// storedValue tops up the member's wallet with a bonus, pays part of a
// bill from it and the rest by bank card, refunds part of it, sells a
// gift card that is partly redeemed, and uses a punch card.
func storedValue(ctx context.Context, s *shop, p *printer) error {
	p.section("Stored value (储值), gift card, punch card")
	s.clock.set(time.Date(2027, 3, 2, 11, 0, 0, 0, shanghai))
	now := s.clock.Now
	top, err := s.wallet.TopUp(ctx, storedvalue.TopUpRequest{ID: "SH01-L1-T-0001", MemberID: s.member, Amount: amount("1000"), At: now()})
	if err != nil {
		return err
	}
	// BonusUntil is the first instant the bonus no longer counts.
	p.printf("top-up 1000.00: credited %s paid + %s bonus (rule %s), bonus good through %s\n",
		top.Credited.Paid.StringFixed(2), top.Credited.Bonus.StringFixed(2), top.RuleID,
		top.BonusUntil.Add(-time.Nanosecond).In(shanghai).Format("2006-01-02"))

	// A 300.00 bill: 220.00 from the balance (held at the till, committed
	// once the rest is paid), 80.00 by bank card.
	hold, err := s.wallet.Hold(ctx, storedvalue.PayRequest{ID: "SH01-L1-P-0001", MemberID: s.member, Amount: amount("220"), At: now(), Order: "SH01-L1-000120"})
	if err != nil {
		return err
	}
	paid, err := s.wallet.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: now()})
	if err != nil {
		return err
	}
	p.printf("bill 300.00: balance %s (%s paid + %s bonus), bank card 80.00\n",
		paid.Spent.Total().StringFixed(2), paid.Spent.Paid.StringFixed(2), paid.Spent.Bonus.StringFixed(2))
	again, err := s.wallet.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: now()})
	if err != nil {
		return err
	}
	p.printf("lane retried the commit: still %s taken once\n", again.Spent.Total().StringFixed(2))

	refund, err := s.wallet.Refund(ctx, storedvalue.RefundRequest{ID: "SH01-L1-R-0001", PaymentID: hold.PaymentID, Amount: amount("55"), At: now()})
	if err != nil {
		return err
	}
	p.printf("refund 55.00 to the balance: %s paid + %s bonus, back to the parts it came from; balance %s + %s\n",
		refund.Refunded.Paid.StringFixed(2), refund.Refunded.Bonus.StringFixed(2),
		refund.Balance.Paid.StringFixed(2), refund.Balance.Bonus.StringFixed(2))

	// A gift card: the code is printed on the card; the till only ever
	// shows its last four characters.
	code, err := storedvalue.GenerateCode(rand.NewChaCha8([32]byte{7}))
	if err != nil {
		return err
	}
	if _, err := s.wallet.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "GC-0001", Code: code, At: now()}); err != nil {
		return err
	}
	if _, err := s.wallet.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "SH01-L1-G-0001", Code: code, Amount: amount("200"), At: now()}); err != nil {
		return err
	}
	use, err := s.wallet.Pay(ctx, storedvalue.PayRequest{ID: "SH01-L1-P-0002", Code: code, Amount: amount("75.50"), At: now()})
	if err != nil {
		return err
	}
	card, err := s.wallet.GiftCardByCode(ctx, code, now())
	if err != nil {
		return err
	}
	p.printf("gift card ****%s sold for 200.00, paid %s, balance %s\n", code[len(code)-4:],
		use.Spent.Total().StringFixed(2), card.Balance.Spendable.Total().StringFixed(2))
	_, err = s.wallet.GiftCardByCode(ctx, code[:len(code)-1]+"0", now())
	p.printf("a mistyped code is caught by its check character: %v\n", errors.Is(err, storedvalue.ErrInvalidCode))

	if _, err := s.wallet.SellPunchCard(ctx, storedvalue.SellPunchCardRequest{CardID: "WASH-0001", MemberID: s.member,
		Service: "car-wash", Uses: 10, ValidFrom: now(), ValidUntil: now().AddDate(1, 0, 0), Transfer: storedvalue.TransferUnused, At: now()}); err != nil {
		return err
	}
	punch, err := s.wallet.UsePunchCard(ctx, storedvalue.PunchRequest{ID: "SH01-L1-U-0001", CardID: "WASH-0001", At: now()})
	if err != nil {
		return err
	}
	p.printf("punch card (次卡) %s: %d of %d washes left\n", punch.CardID, punch.Remaining, punch.Total)

	month := metrics.Window{From: time.Date(2027, 3, 1, 0, 0, 0, 0, shanghai), To: time.Date(2027, 4, 1, 0, 0, 0, 0, shanghai)}
	rep, err := metrics.StoredValue(storedvalue.AllEntries(ctx, s.wallet.Store()), month, "CNY")
	if err != nil {
		return err
	}
	p.printf("stored-value liability end of March: %s paid (deferred revenue) + %s bonus\n",
		rep.Liability.Paid.StringFixed(2), rep.Liability.Bonus.StringFixed(2))
	return nil
}
