package sqlite_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/coupon/coupontest"
)

func TestCouponStore(t *testing.T) {
	coupontest.Run(t, func(t *testing.T) coupon.Store { return open(t).Coupons() })
}
