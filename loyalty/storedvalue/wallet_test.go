package storedvalue_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTopUpAppliesTheHighestRuleReached(t *testing.T) {
	for _, tc := range []struct {
		pay, bonus, rule string
	}{
		{"100", "0", ""},
		{"499.99", "0", ""},
		{"500", "30", "500"},
		{"999", "30", "500"},
		{"1000", "100", "1000"},
		{"5000", "100", "1000"},
	} {
		t.Run(tc.pay, func(t *testing.T) {
			s, st := newService(t, programme(storedvalue.PaidFirst), nil)
			res, err := s.TopUp(t.Context(), storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d(tc.pay), At: t0})
			require.NoError(t, err)
			requireMoney(t, tc.pay, tc.bonus, res.Credited)
			assert.Equal(t, tc.rule, res.RuleID)
			audit(t, st, res.AccountID)
		})
	}
}

func TestBonusValidThroughTheEndOfTheLastDayInTheProgrammesZone(t *testing.T) {
	s, _ := newService(t, programme(storedvalue.PaidFirst), nil)
	// 23:30 UTC on 1 March is 07:30 on 2 March in Shanghai: thirty days
	// later ends at midnight starting 2 April, Shanghai time.
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	res, err := s.TopUp(t.Context(), storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("500"), At: at})
	require.NoError(t, err)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	assert.True(t, res.BonusUntil.Equal(time.Date(2026, 4, 2, 0, 0, 0, 0, sh)), "%v", res.BonusUntil)
	b, err := s.WalletBalance(t.Context(), "m1", res.BonusUntil.Add(-time.Microsecond))
	require.NoError(t, err)
	requireMoney(t, "500", "30", b.Spendable)
	b, err = s.WalletBalance(t.Context(), "m1", res.BonusUntil)
	require.NoError(t, err)
	requireMoney(t, "500", "0", b.Spendable)
	assert.True(t, b.Lapsed.Equal(d("30")))
}

func TestSpendOrders(t *testing.T) {
	// Balance after a 1,000 top-up: 1,000 paid and 100 bonus.
	for _, tc := range []struct {
		order       storedvalue.SpendOrder
		amount      string
		paid, bonus string
	}{
		{storedvalue.PaidFirst, "300", "300", "0"},
		{storedvalue.PaidFirst, "1050", "1000", "50"},
		{storedvalue.BonusFirst, "30", "0", "30"},
		{storedvalue.BonusFirst, "300", "200", "100"},
		{storedvalue.Proportional, "110", "100", "10"},
		{storedvalue.Proportional, "0.05", "0.05", "0"}, // bonus share 0.0045 rounds down
		{storedvalue.Proportional, "1100", "1000", "100"},
	} {
		t.Run(fmt.Sprintf("%s/%s", tc.order, tc.amount), func(t *testing.T) {
			s, st := newService(t, programme(tc.order), nil)
			_, err := s.TopUp(t.Context(), storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("1000"), At: t0})
			require.NoError(t, err)
			res, err := s.Pay(t.Context(), storedvalue.PayRequest{ID: "p1", MemberID: "m1", Amount: d(tc.amount), At: t0})
			require.NoError(t, err)
			requireMoney(t, tc.paid, tc.bonus, res.Spent)
			audit(t, st, res.AccountID)
		})
	}
}

func TestRefundGoesBackToThePartsItCameFrom(t *testing.T) {
	s, st := newService(t, programme(storedvalue.Proportional), nil)
	ctx := t.Context()
	_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("1000"), At: t0})
	require.NoError(t, err)
	pay, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p1", MemberID: "m1", Amount: d("550"), At: t0})
	require.NoError(t, err)
	requireMoney(t, "500", "50", pay.Spent)
	// Three partial refunds in awkward steps restore the payment exactly.
	var paid, bonus = d("0"), d("0")
	for i, amt := range []string{"0.07", "333.33", "216.60"} {
		r, err := s.Refund(ctx, storedvalue.RefundRequest{ID: fmt.Sprint("r", i), PaymentID: "p1", Amount: d(amt), At: t0})
		require.NoError(t, err)
		paid, bonus = paid.Add(r.Refunded.Paid), bonus.Add(r.Refunded.Bonus)
		audit(t, st, pay.AccountID)
	}
	assert.True(t, paid.Equal(d("500")) && bonus.Equal(d("50")), "refunded %s + %s", paid, bonus)
	_, err = s.Refund(ctx, storedvalue.RefundRequest{ID: "r9", PaymentID: "p1", Amount: d("0.01"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused)
	b, err := s.WalletBalance(ctx, "m1", t0)
	require.NoError(t, err)
	requireMoney(t, "1000", "100", b.Spendable)
}

func TestHoldSettlesExactlyOnce(t *testing.T) {
	s, st := newService(t, programme(storedvalue.PaidFirst), nil)
	ctx := t.Context()
	_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("500"), At: t0})
	require.NoError(t, err)
	h, err := s.Hold(ctx, storedvalue.PayRequest{ID: "h1", MemberID: "m1", Amount: d("520"), At: t0})
	require.NoError(t, err)
	requireMoney(t, "0", "10", h.Balance)
	_, err = s.Refund(ctx, storedvalue.RefundRequest{ID: "r1", PaymentID: "h1", Amount: d("1"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused, "an open hold is not refundable")
	c1, err := s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "h1", At: t0})
	require.NoError(t, err)
	c2, err := s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "h1", At: t0.Add(time.Minute)})
	require.NoError(t, err, "a replayed commit (a lane's retry, with its own clock) returns its result")
	assert.Equal(t, c1, c2)
	_, err = s.ReleaseHold(ctx, storedvalue.SettleRequest{HoldID: "h1", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrHoldSettled)
	b, err := s.WalletBalance(ctx, "m1", t0)
	require.NoError(t, err)
	requireMoney(t, "0", "10", b.Spendable)
	requireMoney(t, "0", "0", b.Held)
	audit(t, st, h.AccountID)

	h2, err := s.Hold(ctx, storedvalue.PayRequest{ID: "h2", MemberID: "m1", Amount: d("10"), At: t0})
	require.NoError(t, err)
	_, err = s.ReleaseHold(ctx, storedvalue.SettleRequest{HoldID: "h2", At: t0})
	require.NoError(t, err)
	_, err = s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "h2", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrHoldSettled)
	audit(t, st, h2.AccountID)
	_, err = s.CommitHold(ctx, storedvalue.SettleRequest{HoldID: "nope", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrNotFound)
}

func TestConcurrentPaymentsNeverOverdraw(t *testing.T) {
	s, st := newService(t, programme(storedvalue.Proportional), nil)
	ctx := t.Context()
	_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("100"), At: t0})
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := range 16 {
		wg.Go(func() {
			_, err := s.Pay(ctx, storedvalue.PayRequest{ID: fmt.Sprint("p", i), MemberID: "m1", Amount: d("30"), At: t0})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				ok++
			} else {
				assert.ErrorIs(t, err, storedvalue.ErrInsufficientFunds)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 3, ok)
	audit(t, st, "w:m1")
}

func TestReplaysAndMismatches(t *testing.T) {
	s, _ := newService(t, programme(storedvalue.PaidFirst), nil)
	ctx := t.Context()
	req := storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("50"), At: t0}
	a, err := s.TopUp(ctx, req)
	require.NoError(t, err)
	req.Amount = d("50.00") // the same amount written otherwise is the same request
	b, err := s.TopUp(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	req.Amount = d("60")
	_, err = s.TopUp(ctx, req)
	require.ErrorIs(t, err, storedvalue.ErrIdempotencyMismatch)

	// A failed payment stays failed after a top-up that would cover it.
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p1", MemberID: "m1", Amount: d("80"), At: t0})
	var short *storedvalue.InsufficientFundsError
	require.ErrorAs(t, err, &short)
	assert.Equal(t, storedvalue.InsufficientFundsError{Requested: 8000, Available: 5000}, *short)
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t2", MemberID: "m1", Amount: d("50"), At: t0})
	require.NoError(t, err)
	_, err = s.Pay(ctx, storedvalue.PayRequest{ID: "p1", MemberID: "m1", Amount: d("80"), At: t0})
	require.ErrorAs(t, err, &short)
	assert.Equal(t, int64(5000), short.Available, "the replayed failure carries the original figures")
}

func TestCashOutForfeitsBonus(t *testing.T) {
	for _, tc := range []struct {
		rule             storedvalue.CashOutRule
		amount           string
		out, forfeit     string
		leftPaid, leftBn string
	}{
		{storedvalue.ForfeitProportional, "500", "500", "50", "500", "50"},
		{storedvalue.ForfeitProportional, "0.01", "0.01", "0.01", "999.99", "99.99"}, // 0.001 rounds up
		{storedvalue.ForfeitProportional, "", "1000", "100", "0", "0"},
		{storedvalue.ForfeitAll, "1", "1", "100", "999", "0"},
	} {
		t.Run(string(tc.rule)+"/"+tc.amount, func(t *testing.T) {
			p := programme(storedvalue.PaidFirst)
			p.CashOut = tc.rule
			s, st := newService(t, p, nil)
			ctx := t.Context()
			_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("1000"), At: t0})
			require.NoError(t, err)
			req := storedvalue.CashOutRequest{ID: "c1", MemberID: "m1", At: t0}
			if tc.amount != "" {
				req.Amount = d(tc.amount)
			}
			res, err := s.CashOut(ctx, req)
			require.NoError(t, err)
			assert.True(t, res.PaidOut.Equal(d(tc.out)), "paid out %s", res.PaidOut)
			assert.True(t, res.Forfeited.Equal(d(tc.forfeit)), "forfeited %s", res.Forfeited)
			requireMoney(t, tc.leftPaid, tc.leftBn, res.Balance)
			audit(t, st, res.AccountID)
		})
	}
	s, _ := newService(t, &storedvalue.Programme{Currency: "CNY", SpendOrder: storedvalue.PaidFirst}, nil)
	_, err := s.TopUp(t.Context(), storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("10"), At: t0})
	require.NoError(t, err)
	_, err = s.CashOut(t.Context(), storedvalue.CashOutRequest{ID: "c1", MemberID: "m1", At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused)
}

func TestExpiredBonusIsNotSpentAndLapsesOnce(t *testing.T) {
	s, st := newService(t, programme(storedvalue.BonusFirst), nil)
	ctx := t.Context()
	top, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("500"), At: t0})
	require.NoError(t, err)
	late := top.BonusUntil
	res, err := s.Pay(ctx, storedvalue.PayRequest{ID: "p1", MemberID: "m1", Amount: d("10"), At: late})
	require.NoError(t, err)
	requireMoney(t, "10", "0", res.Spent)
	requireMoney(t, "490", "0", res.Balance)
	n, err := s.ExpireBonus(ctx, "", late)
	require.NoError(t, err)
	assert.Zero(t, n, "the payment already expired the bonus")
	audit(t, st, res.AccountID)
}

func TestRequestValidationNamesEveryField(t *testing.T) {
	s, _ := newService(t, programme(storedvalue.PaidFirst), nil)
	_, err := s.TopUp(context.Background(), storedvalue.TopUpRequest{Amount: d("1.001")})
	require.ErrorIs(t, err, storedvalue.ErrInvalid)
	var fields []string
	for _, fe := range errtree.All[*storedvalue.FieldError](err) {
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"id", "memberId", "at", "amount"}, fields)
	_, err = s.Pay(context.Background(), storedvalue.PayRequest{ID: "p", MemberID: "m", Code: "x", Amount: d("1"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrInvalid)
	_, err = s.Pay(context.Background(), storedvalue.PayRequest{ID: "p", MemberID: "nobody", Amount: d("1"), At: t0})
	require.True(t, errors.Is(err, storedvalue.ErrNotFound))
}

func TestTopUpRefusalsStayFailed(t *testing.T) {
	p := programme(storedvalue.PaidFirst)
	p.MinTopUp, p.MaxBalance = d("50"), d("600")
	s, _ := newService(t, p, nil)
	ctx := t.Context()
	_, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("100"), At: t0})
	require.NoError(t, err)
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t2", MemberID: "m1", Amount: d("10"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused)
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t3", MemberID: "m1", Amount: d("500"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused, "100 + 500 + 30 bonus is over the cap")
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t3", MemberID: "m1", Amount: d("500"), At: t0})
	require.ErrorIs(t, err, storedvalue.ErrRefused)
}

type rewards struct {
	mu   sync.Mutex
	got  []storedvalue.Reward
	fail bool
}

func (r *rewards) TopUpReward(_ context.Context, rw storedvalue.Reward) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		r.fail = false
		return errors.New("points service down")
	}
	r.got = append(r.got, rw)
	return nil
}

func TestRewardsHookIsRetriedByTheTopUpsReplay(t *testing.T) {
	hook := &rewards{fail: true}
	s, _ := newService(t, programme(storedvalue.PaidFirst), &storedvalue.Options{Rewards: hook})
	req := storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("1000"), At: t0}
	_, err := s.TopUp(t.Context(), req)
	require.Error(t, err)
	res, err := s.TopUp(t.Context(), req)
	require.NoError(t, err)
	requireMoney(t, "1000", "100", res.Credited)
	require.Len(t, hook.got, 1)
	assert.Equal(t, storedvalue.Reward{RequestID: "t1", MemberID: "m1", RuleID: "1000", Points: 200, Tier: "gold", At: t0}, hook.got[0])
}

func TestTopUpCapCountsOnlyBonusStillGood(t *testing.T) {
	p := programme(storedvalue.PaidFirst)
	p.MaxBalance = d("1060")
	s, _ := newService(t, p, nil)
	ctx := t.Context()
	top, err := s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t1", MemberID: "m1", Amount: d("500"), At: t0})
	require.NoError(t, err)
	// 500 + 30 + 500 + 30 would be over 1,060 with the first bonus, which
	// has lapsed by then.
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t2", MemberID: "m1", Amount: d("500"), At: top.BonusUntil})
	require.NoError(t, err)
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t3", MemberID: "m1", Amount: d("30.01"), At: top.BonusUntil})
	require.ErrorIs(t, err, storedvalue.ErrRefused, "1,030 + 30.01 is over the cap")
	_, err = s.TopUp(ctx, storedvalue.TopUpRequest{ID: "t4", MemberID: "m1", Amount: d("30"), At: top.BonusUntil})
	require.NoError(t, err, "1,030 + 30 is the cap exactly")
}
