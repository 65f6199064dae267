package storedvalue_test

import (
	"context"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

func Example() {
	ctx := context.Background()
	prog, err := storedvalue.ParseProgramme([]byte(`{
		"currency": "CNY",
		"spendOrder": "proportional",
		"topUps": [
			{"id": "pay500", "pay": "500", "bonus": "30"},
			{"id": "pay1000", "pay": "1000", "bonus": "100"}
		],
		"bonusValidDays": 365,
		"timeZone": "Asia/Shanghai",
		"cashOut": "forfeit-proportional"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	svc, err := storedvalue.NewService(storedvalue.NewMemoryStore(), prog, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

	top, _ := svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "pos1-0001", MemberID: "m42", Amount: decimal.NewFromInt(1000), At: at})
	fmt.Println("top-up credited", top.Credited.Paid, "paid +", top.Credited.Bonus, "bonus")

	// At the till: hold 220 of a 300 bill, the rest by bank card, then commit.
	hold, _ := svc.Hold(ctx, storedvalue.PayRequest{ID: "pos1-0002", MemberID: "m42", Amount: decimal.NewFromInt(220), At: at})
	paid, _ := svc.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: at})
	fmt.Println("paid", paid.Spent.Paid, "paid +", paid.Spent.Bonus, "bonus")

	// The customer returns half: the refund goes back to the same parts.
	ref, _ := svc.Refund(ctx, storedvalue.RefundRequest{ID: "pos1-0003", PaymentID: hold.PaymentID, Amount: decimal.NewFromInt(110), At: at})
	fmt.Println("refunded", ref.Refunded.Paid, "paid +", ref.Refunded.Bonus, "bonus")
	fmt.Println("balance", ref.Balance.Paid, "paid +", ref.Balance.Bonus, "bonus")

	// A retried payment with the same POS ID changes nothing.
	again, _ := svc.CommitHold(ctx, storedvalue.SettleRequest{HoldID: hold.PaymentID, At: at})
	fmt.Println("replay spent", again.Spent.Total())
	// Output:
	// top-up credited 1000 paid + 100 bonus
	// paid 200 paid + 20 bonus
	// refunded 100 paid + 10 bonus
	// balance 900 paid + 90 bonus
	// replay spent 220
}

func ExampleService_CashOut() {
	ctx := context.Background()
	svc, _ := storedvalue.NewService(storedvalue.NewMemoryStore(), &storedvalue.Programme{
		Currency: "CNY", SpendOrder: storedvalue.PaidFirst, CashOut: storedvalue.ForfeitProportional,
		TopUps: []storedvalue.TopUpRule{{ID: "t", Pay: decimal.NewFromInt(1000), Bonus: decimal.NewFromInt(100)}},
	}, nil)
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	_, _ = svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: decimal.NewFromInt(1000), At: at})
	// Cashing out 40% of the paid money forfeits 40% of the bonus.
	out, _ := svc.CashOut(ctx, storedvalue.CashOutRequest{ID: "c1", MemberID: "m1", Amount: decimal.NewFromInt(400), At: at})
	fmt.Println("paid out", out.PaidOut, "forfeited", out.Forfeited, "left", out.Balance.Paid, "+", out.Balance.Bonus)
	// Output:
	// paid out 400 forfeited 40 left 600 + 60
}

func ExampleGenerateCode() {
	// Real codes come from crypto/rand.Reader; a fixed source shows the shape.
	code, _ := storedvalue.GenerateCode(zeros{})
	fmt.Println(code)
	n, _ := storedvalue.NormaliseCode("oooo-oooo-oooo-ooo0") // O reads as 0
	fmt.Println(n == "0000000000000000")
	_, err := storedvalue.NormaliseCode("0000-0000-0000-0001")
	fmt.Println(err)
	// Output:
	// 0000-0000-0000-0000
	// true
	// storedvalue: code: check character does not match (mistyped?): storedvalue: invalid code
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func ExampleService_UsePunchCard() {
	ctx := context.Background()
	svc, _ := storedvalue.NewService(storedvalue.NewMemoryStore(), &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst}, nil)
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	_, _ = svc.SellPunchCard(ctx, storedvalue.SellPunchCardRequest{CardID: "wash-7", MemberID: "m1", Service: "car-wash",
		Uses: 10, ValidFrom: at, ValidUntil: at.AddDate(1, 0, 0), Transfer: storedvalue.TransferAny, At: at})
	card, _ := svc.UsePunchCard(ctx, storedvalue.PunchRequest{ID: "use-1", CardID: "wash-7", At: at.Add(time.Hour)})
	fmt.Println(card.Service, card.Remaining, "of", card.Total, "left")
	card, _ = svc.UndoPunchUse(ctx, storedvalue.UndoPunchRequest{UseID: "use-1", At: at.Add(2 * time.Hour)})
	fmt.Println("after undo", card.Remaining)
	// Output:
	// car-wash 9 of 10 left
	// after undo 10
}
