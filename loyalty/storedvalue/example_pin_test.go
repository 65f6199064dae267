package storedvalue_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/shopspring/decimal"
)

// A gift card with a PIN: the balance check and the payment need it, and
// a wrong PIN reads exactly like a wrong code.
func ExampleService_CheckGiftCard() {
	ctx := context.Background()
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst}
	svc, err := storedvalue.NewService(storedvalue.NewMemoryStore(), prog,
		&storedvalue.Options{CodeSecret: []byte("host code secret"), PINSecret: []byte("host PIN secret")})
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	code, _ := storedvalue.GenerateCode(rand.Reader)
	_, _ = svc.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "GC-7", Code: code, PIN: "4821", Balance: decimal.NewFromInt(200), At: at})

	card, err := svc.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "chk-1", Code: code, PIN: "4821", At: at})
	fmt.Println("balance", card.Balance.Spendable.Total(), err)

	_, wrongPIN := svc.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "chk-2", Code: code, PIN: "0000", At: at})
	other, _ := storedvalue.GenerateCode(rand.Reader)
	_, wrongCode := svc.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "chk-3", Code: other, PIN: "0000", At: at})
	fmt.Println("same answer:", wrongPIN.Error() == wrongCode.Error(), errors.Is(wrongPIN, storedvalue.ErrNotFound))

	pay, err := svc.Pay(ctx, storedvalue.PayRequest{ID: "pay-1", Code: code, PIN: "4821", Amount: decimal.NewFromInt(50), At: at})
	fmt.Println("left", pay.Balance.Paid, err)
	// Output:
	// balance 200 <nil>
	// same answer: true true
	// left 150 <nil>
}

// Holds a till never settles are released by a sweep after their expiry.
func ExampleService_ReleaseExpiredHolds() {
	ctx := context.Background()
	prog := &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst}
	svc, err := storedvalue.NewService(storedvalue.NewMemoryStore(), prog, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	_, _ = svc.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: decimal.NewFromInt(100), At: at})
	_, _ = svc.Hold(ctx, storedvalue.PayRequest{ID: "h1", MemberID: "m1", Amount: decimal.NewFromInt(30), At: at,
		ExpiresAt: at.Add(15 * time.Minute)})

	released, _ := svc.ReleaseExpiredHolds(ctx, at.Add(10*time.Minute), 0)
	fmt.Println("at 10:10 released", released)
	released, _ = svc.ReleaseExpiredHolds(ctx, at.Add(15*time.Minute), 0)
	fmt.Println("at 10:15 released", released)
	b, _ := svc.WalletBalance(ctx, "m1", at.Add(15*time.Minute))
	fmt.Println("spendable", b.Spendable.Total(), "held", b.Held.Total())
	// Output:
	// at 10:10 released []
	// at 10:15 released [h1]
	// spendable 100 held 0
}
