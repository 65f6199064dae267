package campaign

import (
	"context"
	"fmt"

	"github.com/clientele-go/clientele/loyalty"
)

// LoyaltyIssuer issues offers through a loyalty.Service: a coupon as a
// granted catalogue coupon whose ID is the request's key, points as an
// adjustment under the key with reason "campaign:<ID>". A promotion needs
// nothing issued: the member's record makes them Eligible, and the
// reference is the promotion's ID.
type LoyaltyIssuer struct {
	Loyalty *loyalty.Service
}

// Issue implements Issuer. The loyalty service's idempotency makes a
// repeated key return the first result.
func (l LoyaltyIssuer) Issue(ctx context.Context, r IssueRequest) (string, error) {
	switch r.Offer.Kind {
	case OfferCoupon:
		res, err := l.Loyalty.GrantCoupon(ctx, loyalty.GrantRequest{ID: r.Key, MemberID: r.MemberID,
			RewardID: r.Offer.RewardID, At: r.At, ValidUntil: r.ValidUntil, Reason: "campaign:" + r.CampaignID})
		if err != nil {
			return "", err
		}
		return res.Coupon.ID, nil
	case OfferPoints:
		_, err := l.Loyalty.Adjust(ctx, loyalty.AdjustRequest{ID: r.Key, MemberID: r.MemberID, Points: r.Offer.Points,
			Reason: "campaign:" + r.CampaignID, Actor: "campaign", At: r.At})
		if err != nil {
			return "", err
		}
		return r.Key, nil
	case OfferPromotion:
		return r.Offer.PromotionID, nil
	}
	return "", fmt.Errorf("campaign: offer kind %q: %w", r.Offer.Kind, ErrInvalid)
}
