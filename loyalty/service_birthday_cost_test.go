package loyalty_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBirthdayRunReadsOnlyDueMembers: a daily birthday run decides by the
// calendar first, so a member whose coupon is not due costs no account
// read, with or without a tier condition; among the due, a coupon for some
// tiers reads the account and gives it only to those tiers.
func TestBirthdayRunReadsOnlyDueMembers(t *testing.T) {
	for _, tiers := range [][]string{nil, {"silver", "gold", "platinum"}} {
		t.Run(fmt.Sprint("tiers=", tiers), func(t *testing.T) {
			ctx := context.Background()
			s := newShop(t, func(p *loyalty.Program) { p.BirthdayCoupon.Tiers = tiers })
			store := loyaltytest.Counting(loyalty.NewMemoryStore())
			var err error
			s.loyalty, err = loyalty.NewService(s.program, store, s.customers, &loyalty.Options{Clock: s.clock.Now})
			require.NoError(t, err)
			// 60 members born on the 1st of a month, five a month; one of
			// May's is silver (a purchase over the threshold), some others
			// have regular accounts, the rest none.
			var silver string
			for i := range 60 {
				m := s.member(t, fmt.Sprint("member ", i), customer.Birthday{Month: time.Month(1 + i%12), Day: 1})
				switch {
				case i == 4: // May
					silver = m.ID
					s.buy(t, "p-silver", m.ID, at(2026, 3, 2, 10, 0), line("SOFA", "furniture", 1, "2500.00"))
				case i%7 == 0:
					s.buy(t, fmt.Sprint("p", i), m.ID, at(2026, 3, 2, 10, 0), line("TEA", "tea", 1, "25.00"))
				}
			}
			day := func(d int) (time.Time, time.Time) { return at(2026, 4, d, 0, 0), at(2026, 4, d+1, 0, 0) }

			store.Reset()
			from, to := day(10) // coupons are issued three days before: 13 April's birthdays, none
			rep, err := s.loyalty.IssueBirthdayCoupons(ctx, s.customers.Store().Customers(ctx), from, to)
			require.NoError(t, err)
			assert.Zero(t, rep.Issued)
			assert.Zero(t, store.Counts()[loyaltytest.MethodGetAccount].Calls, "no account read on a day nobody is due")
			assert.Zero(t, store.Counts()[loyaltytest.MethodSave].Calls)

			store.Reset()
			from, to = day(28) // 1 May's birthdays: five members, one of them silver
			rep, err = s.loyalty.IssueBirthdayCoupons(ctx, s.customers.Store().Customers(ctx), from, to)
			require.NoError(t, err)
			reads := store.Counts()[loyaltytest.MethodGetAccount].Calls
			if tiers == nil {
				assert.Equal(t, 5, rep.Issued)
			} else {
				require.Equal(t, 1, rep.Issued, "only the silver member of the five")
				assert.Equal(t, silver, rep.Coupons[0].MemberID)
			}
			assert.LessOrEqual(t, reads, 5*3, "a few reads per due member, none for the 55 others")

		})
	}
}
