package lane

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// Item kinds of stored value and coupons in the outbox. A payment and a
// hold share a key ("svpay:<ID>"), as they share one centrally, and so do
// a hold's commit and release ("svsettle:<hold ID>", "cpclose:<hold
// ID>"): the outbox refuses the second of two that contradict each other
// (sqlite.ErrKeyReused) before anything is recorded.
const (
	KindTopUp         = "topup"
	KindPay           = "svpay"
	KindHold          = "svhold"
	KindCommitHold    = "svcommit"
	KindReleaseHold   = "svrelease"
	KindRefund        = "svrefund"
	KindCouponHold    = "cphold"
	KindCouponCommit  = "cpcommit"
	KindCouponRelease = "cprelease"
)

// couponClose is the queued form of a coupon hold's commit or release.
type couponClose struct {
	HoldID   string    `json:"holdId"`
	Purchase string    `json:"purchase,omitempty"`
	At       time.Time `json:"at"`
}

// errNoStoredValue and errNoCoupons: the services (the lane's or the
// centre's) run no stored-value programme or coupon service.
var (
	errNoStoredValue = errors.New("lane: no stored-value service")
	errNoCoupons     = errors.New("lane: no coupon service")
)

// moneyOp runs one queued stored-value or coupon fact against a set of
// services: the lane's when it is recorded or recovered, the centre's
// when it is sent.
// secret is the item's secret (a gift card's code), nil for most.
type moneyOp func(ctx context.Context, s Services, payload, secret []byte) (any, error)

// serves reports (errNoStoredValue, errNoCoupons) when the services lack
// the one a kind of fact needs.
func (s Services) serves(kind string) error {
	switch {
	case couponKind(kind) && s.Coupons == nil:
		return errNoCoupons
	case !couponKind(kind) && s.Wallets == nil:
		return errNoStoredValue
	}
	return nil
}

func couponKind(kind string) bool {
	return kind == KindCouponHold || kind == KindCouponCommit || kind == KindCouponRelease
}

// decoded adapts a call taking the request to one taking its queued
// JSON.
func decoded[R any](call func(ctx context.Context, s Services, r R) (any, error)) moneyOp {
	return func(ctx context.Context, s Services, payload, _ []byte) (any, error) {
		var r R
		if err := json.Unmarshal(payload, &r); err != nil {
			return nil, err
		}
		return call(ctx, s, r)
	}
}

// payment adapts a payment or hold: the request from the queued JSON,
// and a gift card's code from the item's secret.
func payment(call func(ctx context.Context, s Services, r storedvalue.PayRequest) (any, error)) moneyOp {
	return func(ctx context.Context, s Services, payload, secret []byte) (any, error) {
		var r storedvalue.PayRequest
		if err := json.Unmarshal(payload, &r); err != nil {
			return nil, err
		}
		if len(secret) > 0 {
			r.Code = string(secret)
		}
		return call(ctx, s, r)
	}
}

var moneyOps = map[string]moneyOp{
	KindTopUp: decoded(func(ctx context.Context, s Services, r storedvalue.TopUpRequest) (any, error) {
		return s.Wallets.TopUp(ctx, r)
	}),
	KindPay: payment(func(ctx context.Context, s Services, r storedvalue.PayRequest) (any, error) {
		return s.Wallets.Pay(ctx, r)
	}),
	KindHold: payment(func(ctx context.Context, s Services, r storedvalue.PayRequest) (any, error) {
		return s.Wallets.Hold(ctx, r)
	}),
	KindCommitHold: decoded(func(ctx context.Context, s Services, r storedvalue.SettleRequest) (any, error) {
		return s.Wallets.CommitHold(ctx, r)
	}),
	KindReleaseHold: decoded(func(ctx context.Context, s Services, r storedvalue.SettleRequest) (any, error) {
		return s.Wallets.ReleaseHold(ctx, r)
	}),
	KindRefund: decoded(func(ctx context.Context, s Services, r storedvalue.RefundRequest) (any, error) {
		return s.Wallets.Refund(ctx, r)
	}),
	KindCouponHold: decoded(func(ctx context.Context, s Services, r coupon.HoldRequest) (any, error) {
		return s.Coupons.Hold(ctx, r)
	}),
	KindCouponCommit: decoded(func(ctx context.Context, s Services, r couponClose) (any, error) {
		return s.Coupons.Commit(ctx, r.HoldID, r.Purchase, r.At)
	}),
	KindCouponRelease: decoded(func(ctx context.Context, s Services, r couponClose) (any, error) {
		return s.Coupons.Release(ctx, r.HoldID, r.At)
	}),
}

// TopUp queues a top-up of a member's wallet, then credits it on the
// lane. The centre applies its own programme when the top-up reaches it:
// a top-up it refuses (its balance cap, counting top-ups made elsewhere)
// is reported, and the money taken at the till is owed back.
func (l *Lane) TopUp(ctx context.Context, r storedvalue.TopUpRequest) (storedvalue.TopUpResult, error) {
	return money[storedvalue.TopUpResult](ctx, l, KindTopUp, "topup:"+r.ID, r.ID, r, nil)
}

// Pay queues a payment from a member's wallet, or with Code set from a
// gift card the lane downloaded (DownloadCard), then takes it from the
// lane's copy of the account. A payment the lane's copy cannot cover is
// refused (ErrInsufficientFunds) and nothing is queued. A card's code is
// queued as the item's secret, beside a payload that holds only a keyed
// hash of it, and is cleared once the centre took the payment.
func (l *Lane) Pay(ctx context.Context, r storedvalue.PayRequest) (storedvalue.PayResult, error) {
	return l.pay(ctx, KindPay, r)
}

// Hold queues a hold on a member's wallet or a gift card at checkout,
// then reserves it on the lane's copy; CommitHold or ReleaseHold settles
// it.
func (l *Lane) Hold(ctx context.Context, r storedvalue.PayRequest) (storedvalue.PayResult, error) {
	return l.pay(ctx, KindHold, r)
}

// cardPayment is the queued form of a payment: the request (its code is
// never marshalled) and, for a gift card, a keyed hash of the code, so a
// replayed request with another card is refused as a reused key.
type cardPayment struct {
	storedvalue.PayRequest
	CodeHash string `json:"codeHash,omitempty"`
}

func (l *Lane) pay(ctx context.Context, kind string, r storedvalue.PayRequest) (storedvalue.PayResult, error) {
	if r.Code == "" {
		return money[storedvalue.PayResult](ctx, l, kind, "svpay:"+r.ID, r.ID, r, nil)
	}
	norm, err := storedvalue.NormaliseCode(r.Code)
	if err != nil {
		return storedvalue.PayResult{}, fmt.Errorf("lane: payment %s: %w", r.ID, err)
	}
	m := hmac.New(sha256.New, l.codeSecret)
	m.Write([]byte(norm))
	return money[storedvalue.PayResult](ctx, l, kind, "svpay:"+r.ID, r.ID,
		cardPayment{PayRequest: r, CodeHash: hex.EncodeToString(m.Sum(nil))}, []byte(norm))
}

// CommitHold queues the commit of a hold, then spends it on the lane.
func (l *Lane) CommitHold(ctx context.Context, r storedvalue.SettleRequest) (storedvalue.PayResult, error) {
	return money[storedvalue.PayResult](ctx, l, KindCommitHold, "svsettle:"+r.HoldID, r.HoldID, r, nil, "svpay:"+r.HoldID)
}

// ReleaseHold queues the release of a hold, then gives it back on the
// lane.
func (l *Lane) ReleaseHold(ctx context.Context, r storedvalue.SettleRequest) (storedvalue.PayResult, error) {
	return money[storedvalue.PayResult](ctx, l, KindReleaseHold, "svsettle:"+r.HoldID, r.HoldID, r, nil, "svpay:"+r.HoldID)
}

// Refund queues a refund of a wallet payment, then gives it back on the
// lane.
func (l *Lane) Refund(ctx context.Context, r storedvalue.RefundRequest) (storedvalue.RefundResult, error) {
	return money[storedvalue.RefundResult](ctx, l, KindRefund, "svrefund:"+r.ID, r.ID, r, nil)
}

// HoldCoupon queues one use of a coupon code, then holds it against the
// lane's copy of the code (DownloadCodes, Refresh). A code the lane's
// copy refuses (used up, another member's) is a *coupon.RefusedError and
// nothing is queued.
func (l *Lane) HoldCoupon(ctx context.Context, r coupon.HoldRequest) (coupon.Redemption, error) {
	return money[coupon.Redemption](ctx, l, KindCouponHold, "cphold:"+r.ID, r.ID, r, nil)
}

// CommitCoupon queues the commit of a coupon hold with the purchase it
// was used on, then commits it on the lane.
func (l *Lane) CommitCoupon(ctx context.Context, holdID, purchaseID string, at time.Time) (coupon.Redemption, error) {
	return money[coupon.Redemption](ctx, l, KindCouponCommit, "cpclose:"+holdID, holdID,
		couponClose{HoldID: holdID, Purchase: purchaseID, At: at}, nil, "cphold:"+holdID)
}

// ReleaseCoupon queues the release of a coupon hold, then gives the use
// back on the lane.
func (l *Lane) ReleaseCoupon(ctx context.Context, holdID string, at time.Time) (coupon.Redemption, error) {
	return money[coupon.Redemption](ctx, l, KindCouponRelease, "cpclose:"+holdID, holdID, couponClose{HoldID: holdID, At: at}, nil, "cphold:"+holdID)
}

// money queues a stored-value or coupon fact under key, then applies it
// to the lane's services; replaying the same fact returns the same result
// and queues nothing twice. A hold (KindHold, KindCouponHold) is queued as
// opening one, and a settle as closing the hold queued under closes, so
// Refresh finds the open ones without reading the queue (openHolds).
func money[R any](ctx context.Context, l *Lane, kind, key, id string, req any, secret []byte, closes ...string) (R, error) {
	var zero R
	if id == "" {
		return zero, fmt.Errorf("lane: %s: %w: the ID is required", kind, customer.ErrInvalid)
	}
	if err := l.local.serves(kind); err != nil {
		return zero, err // before anything is queued
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return zero, err
	}
	mark := sqlite.HoldMark{Opens: kind == KindHold || kind == KindCouponHold}
	if len(closes) > 0 {
		mark.Closes = closes[0]
	}
	it, err := l.outbox.EnqueueMarked(ctx, key, kind, payload, secret, mark, l.clock())
	if err != nil {
		return zero, fmt.Errorf("lane: %s %s: %w", kind, id, err)
	}
	res, err := l.applyMoney(ctx, it, kind)
	if err != nil {
		return zero, err
	}
	return res.(R), nil
}

// applyMoney applies a queued stored-value or coupon fact to the lane's
// services and marks it applied; a refusal discards it (nothing of it was
// recorded, but for the refused request's own idempotency record).
func (l *Lane) applyMoney(ctx context.Context, it sqlite.Item, kind string) (any, error) {
	if err := l.local.serves(kind); err != nil {
		return nil, err
	}
	res, err := moneyOps[kind](ctx, l.local, it.Payload, it.Secret)
	if err != nil {
		return nil, l.refused(ctx, it.Seq, err)
	}
	return res, l.outbox.MarkApplied(ctx, it.Seq, l.clock())
}
