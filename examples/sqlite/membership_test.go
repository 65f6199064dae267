package sqlite_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/clientele-go/clientele/loyalty/membership/membershiptest"
)

func TestMembershipStore(t *testing.T) {
	membershiptest.Run(t, func(t *testing.T) membership.Store { return open(t).Memberships() })
}
