package sqlite_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/clientele-go/clientele/loyalty/referral/referraltest"
)

func TestReferralStore(t *testing.T) {
	referraltest.Run(t, func(t *testing.T) referral.Store { return open(t).Referrals() })
}
