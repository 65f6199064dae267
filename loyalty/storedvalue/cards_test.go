package storedvalue_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seeded is a deterministic byte source for codes in tests.
type seeded struct{ r *rand.ChaCha8 }

func (s seeded) Read(p []byte) (int, error) { return s.r.Read(p) }

func newSeeded(n byte) seeded { return seeded{rand.NewChaCha8([32]byte{n})} }

func TestGeneratedCodesCatchEverySingleTypoAndAdjacentSwap(t *testing.T) {
	src := newSeeded(1)
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	for range 50 {
		code, err := storedvalue.GenerateCode(src)
		require.NoError(t, err)
		require.Len(t, code, 19)
		n, err := storedvalue.NormaliseCode(code)
		require.NoError(t, err)
		for i := range n {
			for _, c := range alphabet {
				if byte(c) == n[i] {
					continue
				}
				typo := n[:i] + string(c) + n[i+1:]
				_, err := storedvalue.NormaliseCode(typo)
				require.ErrorIs(t, err, storedvalue.ErrInvalidCode, "typo at %d", i)
			}
			if i+1 < len(n) && n[i] != n[i+1] {
				swap := n[:i] + string(n[i+1]) + string(n[i]) + n[i+2:]
				_, err := storedvalue.NormaliseCode(swap)
				require.ErrorIs(t, err, storedvalue.ErrInvalidCode, "swap at %d", i)
			}
		}
	}
}

func TestNormaliseCodeForgivesTheCashier(t *testing.T) {
	code, err := storedvalue.GenerateCode(newSeeded(2))
	require.NoError(t, err)
	want, err := storedvalue.NormaliseCode(code)
	require.NoError(t, err)
	fullWidth := strings.Map(func(r rune) rune {
		if r == '-' {
			return '　'
		}
		return r + 0xFEE0
	}, strings.ToLower(code))
	got, err := storedvalue.NormaliseCode(fullWidth)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	for _, bad := range []string{"", "abc", "ABC#1234", strings.Repeat("A", 33)} {
		_, err := storedvalue.NormaliseCode(bad)
		require.ErrorIs(t, err, storedvalue.ErrInvalidCode)
		if bad != "" {
			assert.NotContains(t, err.Error(), bad)
		}
	}
}

func TestGiftCardLifecycle(t *testing.T) {
	s, st := newService(t, programme(storedvalue.PaidFirst), &storedvalue.Options{CodeSecret: []byte("k")})
	ctx := t.Context()
	code, err := storedvalue.GenerateCode(newSeeded(3))
	require.NoError(t, err)
	card, err := s.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "c1", Code: code, At: t0})
	require.NoError(t, err)
	assert.Equal(t, storedvalue.Issued, card.State)
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p0", Code: code, Amount: d("1"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrCardState, "an unsold card pays nothing")

	_, err = s.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "sale1", Code: code, Amount: d("200"), At: t0})
	require.NoError(t, err)
	_, err = s.ActivateGiftCard(ctx, storedvalue.ActivateGiftCardRequest{ID: "sale2", Code: code, Amount: d("200"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrCardState)

	pay, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p1", Code: strings.ToLower(code), Amount: d("75.50"), At: t0})
	require.NoError(t, err)
	requireMoney(t, "124.50", "0", pay.Balance)
	got, err := s.GiftCardByCode(ctx, code, t0)
	require.NoError(t, err)
	assert.True(t, got.Balance.Spendable.Paid.Equal(d("124.50")))

	moved, err := s.TransferGiftCard(ctx, storedvalue.TransferGiftCardRequest{ID: "x1", Code: code, MemberID: "m1", At: t0})
	require.NoError(t, err)
	requireMoney(t, "124.50", "0", moved)
	again, err := s.TransferGiftCard(ctx, storedvalue.TransferGiftCardRequest{ID: "x1", Code: code, MemberID: "m1", At: t0})
	require.NoError(t, err)
	assert.Equal(t, moved, again)
	w, err := s.WalletBalance(ctx, "m1", t0)
	require.NoError(t, err)
	requireMoney(t, "124.50", "0", w.Spendable)
	audit(t, st, "g:c1")
	audit(t, st, "w:m1")

	// A wrong code (valid check character, no card) and a taken code.
	other, err := storedvalue.GenerateCode(newSeeded(4))
	require.NoError(t, err)
	_, err = s.GiftCardByCode(ctx, other, t0)
	require.ErrorIs(t, err, storedvalue.ErrNotFound)
	assert.NotContains(t, err.Error(), other)
	_, err = s.IssueGiftCard(ctx, storedvalue.IssueGiftCardRequest{CardID: "c2", Code: code, At: t0})
	require.ErrorIs(t, err, storedvalue.ErrAlreadyExists)
}

func TestNoCodeInRecordsOrErrors(t *testing.T) {
	s, st := newService(t, programme(storedvalue.PaidFirst), nil)
	ctx := t.Context()
	code := "OLDCARD123"
	_, err := s.ImportGiftCard(ctx, storedvalue.ImportGiftCardRequest{CardID: "c1", Code: code, Balance: d("20"), At: t0})
	require.NoError(t, err)
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p1", Code: "oldcard123", Amount: d("50"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrInsufficientFunds)
	assert.NotContains(t, err.Error(), "0LDCARD123")
	a, err := st.GetAccount(ctx, "g:c1")
	require.NoError(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", a), "0LDCARD123")
	for _, key := range []string{"import:c1", "pay:p1"} {
		op, err := st.GetOperation(ctx, key)
		require.NoError(t, err)
		assert.False(t, bytes.Contains(op.Result, []byte("0LDCARD123")) || bytes.Contains(op.Result, []byte("OLDCARD")))
	}
}

func TestPunchCard(t *testing.T) {
	s, st := newService(t, programme(storedvalue.PaidFirst), nil)
	ctx := t.Context()
	until := t0.AddDate(0, 6, 0)
	card, err := s.SellPunchCard(ctx, storedvalue.SellPunchCardRequest{CardID: "k1", MemberID: "m1", Service: "car-wash",
		Uses: 2, ValidFrom: t0, ValidUntil: until, Transfer: storedvalue.TransferUnused, At: t0})
	require.NoError(t, err)
	assert.Equal(t, int64(2), card.Remaining)

	_, err = s.UsePunchCard(ctx, storedvalue.PunchRequest{ID: "u0", CardID: "k1", At: t0.Add(-time.Hour)})
	require.ErrorIs(t, err, storedvalue.ErrCardState, "before the window")
	_, err = s.UsePunchCard(ctx, storedvalue.PunchRequest{ID: "u1", CardID: "k1", At: t0})
	require.NoError(t, err)
	_, err = s.TransferPunchCard(ctx, storedvalue.TransferPunchRequest{ID: "x1", CardID: "k1", ToMember: "m2", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrCardState, "used cards stay with their buyer")
	c, err := s.UndoPunchUse(ctx, storedvalue.UndoPunchRequest{UseID: "u1", At: t0})
	require.NoError(t, err)
	assert.Equal(t, int64(2), c.Remaining)
	c, err = s.UndoPunchUse(ctx, storedvalue.UndoPunchRequest{UseID: "u1", At: t0})
	require.NoError(t, err, "a second undo replays the first")
	assert.Equal(t, int64(2), c.Remaining)
	_, err = s.UndoPunchUse(ctx, storedvalue.UndoPunchRequest{UseID: "u0", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused, "a failed use took nothing to give back")

	c, err = s.TransferPunchCard(ctx, storedvalue.TransferPunchRequest{ID: "x2", CardID: "k1", ToMember: "m2", At: t0})
	require.NoError(t, err)
	assert.Equal(t, "m2", c.Holder)
	for i := range 2 {
		_, err = s.UsePunchCard(ctx, storedvalue.PunchRequest{ID: fmt.Sprint("v", i), CardID: "k1", At: t0})
		require.NoError(t, err)
	}
	_, err = s.UsePunchCard(ctx, storedvalue.PunchRequest{ID: "v9", CardID: "k1", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrCardState, "used up")
	_, err = s.UsePunchCard(ctx, storedvalue.PunchRequest{ID: "v8", CardID: "k1", At: until})
	require.ErrorIs(t, err, storedvalue.ErrCardState, "after the window")
	audit(t, st, "p:k1")
}
