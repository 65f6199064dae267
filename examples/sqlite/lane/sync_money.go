package lane

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// sendMoney applies a queued stored-value or coupon fact to the central
// services. The centre decides by its own state, so a fact the lane took
// may be refused there (the balance spent at another store meanwhile, the
// code's limit reached elsewhere); the refusal is returned wrapped in a
// sentence that says what it means for the sale, and Sync marks the item
// sent with it and reports it. A replay (after a crash between the
// centre's write and MarkSent) is answered from the centre's idempotency
// records: the same result, or the same refusal, never a second write.
func sendMoney(ctx context.Context, central Services, it sqlite.Item) (string, error) {
	kind, payload := it.Kind, it.Payload
	if err := central.serves(kind); err != nil {
		return "", err // not a refusal: the sync stops here
	}
	_, err := moneyOps[kind](ctx, central, payload, it.Secret)
	if err == nil || !Refusal(err) {
		return "", err
	}
	return "", explain(kind, payload, err)
}

// explain says what a central refusal of a queued fact means for the sale
// the lane made; it keeps err (errors.Is still finds the refusal). It
// names no gift-card or coupon code.
func explain(kind string, payload []byte, err error) error {
	// Each kind's payload decodes into its request; a field a kind lacks
	// stays empty.
	var (
		sv storedvalue.PayRequest
		cl couponClose
	)
	_ = json.Unmarshal(payload, &sv)
	_ = json.Unmarshal(payload, &cl)
	switch kind {
	case KindTopUp:
		var r storedvalue.TopUpRequest
		_ = json.Unmarshal(payload, &r)
		return fmt.Errorf("top-up %s of %s for member %s refused centrally; the money taken at the till is owed back: %w",
			r.ID, r.Amount, r.MemberID, err)
	case KindPay, KindHold:
		from := "member " + sv.MemberID + "'s wallet"
		if sv.MemberID == "" {
			from = "a gift card"
		}
		return fmt.Errorf("payment %s of %s from %s refused centrally (spent at another store meanwhile?); "+
			"nothing was taken centrally and the sale is unpaid by that much: %w", sv.ID, sv.Amount, from, err)
	case KindCommitHold, KindReleaseHold:
		var r storedvalue.SettleRequest
		_ = json.Unmarshal(payload, &r)
		if errors.Is(err, storedvalue.ErrNotFound) {
			return fmt.Errorf("hold %s is not held centrally (its hold was refused): nothing to settle: %w", r.HoldID, err)
		}
		return fmt.Errorf("settling hold %s refused centrally: %w", r.HoldID, err)
	case KindRefund:
		var r storedvalue.RefundRequest
		_ = json.Unmarshal(payload, &r)
		return fmt.Errorf("refund %s of %s (payment %s) refused centrally; the lane's refund to the wallet does not stand: %w",
			r.ID, r.Amount, r.PaymentID, err)
	case KindCouponHold:
		var r coupon.HoldRequest
		_ = json.Unmarshal(payload, &r)
		return fmt.Errorf("coupon use %s refused centrally (the code used up or used elsewhere meanwhile?); "+
			"the discount the lane gave stands and is not counted centrally: %w", r.ID, err)
	case KindCouponCommit, KindCouponRelease:
		if errors.Is(err, coupon.ErrNotFound) {
			return fmt.Errorf("coupon use %s is not held centrally (its hold was refused): nothing to close: %w", cl.HoldID, err)
		}
		return fmt.Errorf("closing coupon use %s refused centrally: %w", cl.HoldID, err)
	}
	return err
}
