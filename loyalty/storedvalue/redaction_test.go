package storedvalue_test

import (
	"testing"

	"github.com/clientele-go/clientele/internal/redact/redacttest"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// Every exported struct type is listed, so a new one carrying a code
// cannot escape the check.
var svTypes = map[string]any{
	"Account": storedvalue.Account{}, "AccountEntry": storedvalue.AccountEntry{}, "ActivateGiftCardRequest": storedvalue.ActivateGiftCardRequest{},
	"AdjustRequest": storedvalue.AdjustRequest{}, "Balance": storedvalue.Balance{}, "CardInfo": storedvalue.CardInfo{},
	"CashOutRequest": storedvalue.CashOutRequest{}, "CashOutResult": storedvalue.CashOutResult{}, "CheckGiftCardRequest": storedvalue.CheckGiftCardRequest{},
	"DueRecord": storedvalue.DueRecord{}, "UnlockGiftCardRequest": storedvalue.UnlockGiftCardRequest{}, "Draw": storedvalue.Draw{},
	"Entry": storedvalue.Entry{}, "ImportGiftCardRequest": storedvalue.ImportGiftCardRequest{}, "InsufficientFundsError": storedvalue.InsufficientFundsError{},
	"IssueGiftCardRequest": storedvalue.IssueGiftCardRequest{}, "Money": storedvalue.Money{}, "Operation": storedvalue.Operation{},
	"Options": storedvalue.Options{}, "Part": storedvalue.Part{}, "PayRequest": storedvalue.PayRequest{}, "PayResult": storedvalue.PayResult{},
	"Programme": storedvalue.Programme{}, "Punch": storedvalue.Punch{}, "PunchCard": storedvalue.PunchCard{}, "PunchRequest": storedvalue.PunchRequest{},
	"Record": storedvalue.Record{}, "RefundRequest": storedvalue.RefundRequest{}, "RefundResult": storedvalue.RefundResult{},
	"Reward": storedvalue.Reward{}, "SellPunchCardRequest": storedvalue.SellPunchCardRequest{}, "SettleRequest": storedvalue.SettleRequest{},
	"TopUpRequest": storedvalue.TopUpRequest{}, "TopUpResult": storedvalue.TopUpResult{}, "TopUpRule": storedvalue.TopUpRule{},
	"TransferGiftCardRequest": storedvalue.TransferGiftCardRequest{}, "TransferPunchRequest": storedvalue.TransferPunchRequest{},
	"UndoPunchRequest": storedvalue.UndoPunchRequest{}, "Write": storedvalue.Write{},
	"Service": struct{}{}, // checked below: its secret is unexported, which Fill cannot reach
}

func TestNoCodeIsPrinted(t *testing.T) {
	redacttest.Run(t, ".", svTypes, redacttest.Personal{Fields: []string{"Code", "CodeSecret", "PIN", "PINSecret"}})
}

func TestServicePrintsNoSecret(t *testing.T) {
	s, err := storedvalue.NewService(storedvalue.NewMemoryStore(), programme(storedvalue.PaidFirst),
		&storedvalue.Options{CodeSecret: []byte(redacttest.Marker + "-secret"), PINSecret: []byte(redacttest.Marker + "-pin-secret")})
	if err != nil {
		t.Fatal(err)
	}
	redacttest.Check(t, "Service", s)
}
