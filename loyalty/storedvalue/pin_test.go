package storedvalue_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func pinService(t *testing.T) (*storedvalue.Service, storedvalue.Store) {
	return newService(t, programme(storedvalue.PaidFirst), &storedvalue.Options{CodeSecret: []byte("c"), PINSecret: []byte("p")})
}

func TestNormalisePIN(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"2468", "2468"},
		{"１２３４５６", "123456"}, // full-width digits from a Chinese IME
		{"12 34 56", "123456"},
		{"123456789012", "123456789012"},
		{"123", ""},
		{"1234567890123", ""},
		{"12a4", ""},
		{"12-34", ""},
		{"", ""},
		{"٣٤٥٦", ""}, // digits of another script are not PIN digits
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := storedvalue.NormalisePIN(tc.in)
			if tc.want == "" {
				require.ErrorIs(t, err, storedvalue.ErrInvalid)
				var fe *storedvalue.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, "pin", fe.Field)
				if tc.in != "" {
					assert.NotContains(t, err.Error(), tc.in)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func FuzzNormalisePIN(f *testing.F) {
	for _, s := range []string{"2468", "１２３４", "12 34", "abc", "", "0000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n, err := storedvalue.NormalisePIN(in)
		if err != nil {
			if len(in) >= storedvalue.MinPIN && strings.Contains(err.Error(), in) {
				t.Fatalf("error quotes the PIN")
			}
			return
		}
		if len(n) < storedvalue.MinPIN || len(n) > storedvalue.MaxPIN || !utf8.ValidString(n) {
			t.Fatalf("normalised %q is not 4 to 12 digits", n)
		}
		for _, r := range n {
			if r < '0' || r > '9' {
				t.Fatalf("normalised %q has a non-digit", n)
			}
		}
		again, err := storedvalue.NormalisePIN(n)
		if err != nil || again != n {
			t.Fatalf("not idempotent: %q -> %q, %v", n, again, err)
		}
	})
}

func TestPINNeedsItsSecret(t *testing.T) {
	s, _ := newService(t, programme(storedvalue.PaidFirst), nil)
	code, err := storedvalue.GenerateCode(newSeeded(30))
	require.NoError(t, err)
	_, err = s.IssueGiftCard(t.Context(), storedvalue.IssueGiftCardRequest{CardID: "c1", Code: code, PIN: "2468", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrInvalid)
	assert.Contains(t, err.Error(), "pin")
	assert.NotContains(t, err.Error(), "2468")
}

// TestGiftCardPIN walks a card with a PIN through the till: every
// request that spends or shows its money needs the PIN; wrong PINs are
// counted once per request, lock the card at MaxPINFailures, and an
// operator unlocks it.
func TestGiftCardPIN(t *testing.T) {
	s, st := pinService(t)
	ctx := t.Context()
	code, err := storedvalue.GenerateCode(newSeeded(31))
	require.NoError(t, err)
	const pin = "739146"
	card, err := s.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "c1", Code: code, PIN: pin, At: t0})
	require.NoError(t, err)
	assert.True(t, card.HasPIN)
	_, err = s.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "sale", Code: code, Amount: d("100"), At: t0})
	require.NoError(t, err, "the cashier selling the card needs no PIN")

	failures := func() int64 {
		a, err := st.GetAccount(ctx, "g:c1")
		require.NoError(t, err)
		return a.PINFailures
	}
	refused := func(err error) {
		t.Helper()
		require.ErrorIs(t, err, storedvalue.ErrNotFound)
		assert.NotContains(t, err.Error(), pin)
	}
	for _, tc := range []struct {
		name    string
		run     func() error
		refused bool
		counts  int64
	}{
		{"BalanceByCodeWithoutPIN", func() error { _, err := s.GiftCardByCode(ctx, code, t0); return err }, true, 0},
		{"CheckRightPIN", func() error {
			c, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "k1", Code: code, PIN: pin, At: t0})
			if err == nil {
				requireMoney(t, "100", "0", c.Balance.Spendable)
			}
			return err
		}, false, 0},
		{"CheckFullWidthPIN", func() error {
			_, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "k2", Code: code, PIN: "７３９１４６", At: t0})
			return err
		}, false, 0},
		{"CheckNoPIN", func() error {
			_, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "k3", Code: code, At: t0})
			return err
		}, true, 0},
		{"PayNoPIN", func() error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p0", Code: code, Amount: d("1"), At: t0})
			return err
		}, true, 0},
		{"PayRightPIN", func() error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p1", Code: code, PIN: pin, Amount: d("10"), At: t0})
			return err
		}, false, 0},
		{"PayWrongPIN", func() error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p2", Code: code, PIN: "000000", Amount: d("10"), At: t0})
			return err
		}, true, 1},
		{"PayWrongPINReplayed", func() error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p2", Code: code, PIN: "000000", Amount: d("10"), At: t0})
			return err
		}, true, 0},
		{"SameIDRightPINAfterAWrongOne", func() error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p2", Code: code, PIN: pin, Amount: d("10"), At: t0})
			if errors.Is(err, storedvalue.ErrIdempotencyMismatch) {
				return nil // a refused request stays refused: the till retries under a new ID
			}
			return fmt.Errorf("want ErrIdempotencyMismatch, got %w", err)
		}, false, 0},
		{"CheckWrongPIN", func() error {
			_, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "k4", Code: code, PIN: "111111", At: t0})
			return err
		}, true, 1},
		{"HoldWrongPIN", func() error {
			_, err := s.Hold(ctx, storedvalue.PayRequest{ID: "h1", Code: code, PIN: "222222", Amount: d("10"), At: t0})
			return err
		}, true, 1},
		{"TransferWrongPIN", func() error {
			_, err := s.TransferGiftCard(ctx, storedvalue.TransferGiftCardRequest{ID: "x1", Code: code, PIN: "333333", MemberID: "m", At: t0})
			return err
		}, true, 1},
		{"CheckRightPINStillWorks", func() error {
			_, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "k5", Code: code, PIN: pin, At: t0})
			return err
		}, false, 0},
		{"FifthWrongPINLocks", func() error {
			_, err := s.CheckGiftCard(ctx, storedvalue.CheckGiftCardRequest{ID: "k6", Code: code, PIN: "444444", At: t0})
			return err
		}, true, 1},
		{"LockedRefusesTheRightPIN", func() error {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p3", Code: code, PIN: pin, Amount: d("10"), At: t0})
			return err
		}, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := failures()
			err := tc.run()
			if tc.refused {
				refused(err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, before+tc.counts, failures(), "wrong PINs counted")
		})
	}
	info, err := s.GiftCard(ctx, "c1", t0)
	require.NoError(t, err)
	assert.True(t, info.Locked)
	assert.Equal(t, int64(storedvalue.MaxPINFailures+1), failures())
	requireMoney(t, "90", "0", info.Balance.Spendable)

	un, err := s.UnlockGiftCard(ctx, storedvalue.UnlockGiftCardRequest{ID: "u1", CardID: "c1", At: t0})
	require.NoError(t, err)
	assert.False(t, un.Locked)
	again, err := s.UnlockGiftCard(ctx, storedvalue.UnlockGiftCardRequest{ID: "u1", CardID: "c1", At: t0})
	require.NoError(t, err)
	assert.Equal(t, fmt.Sprint(un), fmt.Sprint(again), "an unlock replays")
	moved, err := s.TransferGiftCard(ctx, storedvalue.TransferGiftCardRequest{ID: "x2", Code: code, PIN: pin, MemberID: "m", At: t0})
	require.NoError(t, err)
	requireMoney(t, "90", "0", moved)
	audit(t, st, "g:c1")
	audit(t, st, "w:m")

	// Neither the PIN nor the code is kept anywhere a store shows.
	norm, err := storedvalue.NormaliseCode(code)
	require.NoError(t, err)
	a, err := st.GetAccount(ctx, "g:c1")
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", a), pin)
	for _, key := range []string{"issue:c1", "pay:p1", "pay:p2", "check:k4", "transfer-out:x2", "unlock:u1"} {
		op, err := st.GetOperation(ctx, key)
		require.NoError(t, err, key)
		for _, secret := range []string{pin, norm} {
			assert.False(t, bytes.Contains(op.Result, []byte(secret)) || strings.Contains(op.Hash, secret), "%s keeps a secret", key)
		}
	}
}

func TestActivationSetsAPIN(t *testing.T) {
	s, _ := pinService(t)
	ctx := t.Context()
	src := newSeeded(32)
	code, err := storedvalue.GenerateCode(src)
	require.NoError(t, err)
	_, err = s.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "c1", Code: code, At: t0})
	require.NoError(t, err)
	card, err := s.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "a1", Code: code, PIN: "5555", Amount: d("20"), At: t0})
	require.NoError(t, err)
	assert.True(t, card.HasPIN)
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p1", Code: code, Amount: d("1"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrNotFound, "the PIN set at sale is needed")
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p2", Code: code, PIN: "5555", Amount: d("1"), At: t0})
	require.NoError(t, err)

	other, err := storedvalue.GenerateCode(src)
	require.NoError(t, err)
	_, err = s.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "c2", Code: other, PIN: "1234", At: t0})
	require.NoError(t, err)
	_, err = s.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "a2", Code: other, PIN: "5555", Amount: d("20"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrCardState, "a printed PIN is not replaced at the till")

	// A card without a PIN takes a PIN typed by mistake.
	plain, err := storedvalue.GenerateCode(src)
	require.NoError(t, err)
	_, err = s.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "c3", Code: plain, Balance: d("5"), At: t0})
	require.NoError(t, err)
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p3", Code: plain, PIN: "9876", Amount: d("1"), At: t0})
	require.NoError(t, err)

	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p4", MemberID: "m", PIN: "9876", Amount: d("1"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrInvalid, "a wallet has no PIN")
}

// TestConcurrentWrongPINsAreEachCounted: wrong PINs racing on one card
// are each counted once (the count is part of the card's compare-and-set
// write), and replays of them count nothing.
func TestConcurrentWrongPINsAreEachCounted(t *testing.T) {
	s, st := pinService(t)
	ctx := t.Context()
	code, err := storedvalue.GenerateCode(newSeeded(33))
	require.NoError(t, err)
	_, err = s.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "c1", Code: code, PIN: "8080", Balance: d("10"), At: t0})
	require.NoError(t, err)
	const n = 8
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Go(func() {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: fmt.Sprint("p", i%n), Code: code, PIN: "1111", Amount: d("1"), At: t0})
			assert.ErrorIs(t, err, storedvalue.ErrNotFound)
		})
	}
	wg.Wait()
	a, err := st.GetAccount(ctx, "g:c1")
	require.NoError(t, err)
	assert.Equal(t, int64(n), a.PINFailures, "each of %d requests once", n)
	audit(t, st, "g:c1")
}
