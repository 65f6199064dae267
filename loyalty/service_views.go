package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// BalanceView is a member's points at an instant.
type BalanceView struct {
	MemberID  string                `json:"memberId"`
	At        time.Time             `json:"at"`
	Available int64                 `json:"available"` // spendable now
	Pending   int64                 `json:"pending"`   // locked until released
	Held      int64                 `json:"held"`      // reserved by open holds
	Debt      int64                 `json:"debt"`      // owed from returns, paid by later earns
	Earned    int64                 `json:"earned"`
	Spent     int64                 `json:"spent"` // redeemed less refunded
	Expired   int64                 `json:"expired"`
	Expiring  []ledger.ExpiryBucket `json:"expiring"` // within the notice period, by date
	Tier      string                `json:"tier"`     // the tier held at At
	Value     string                `json:"value"`    // Available's cash value, in the programme currency
}

// Balance returns a member's balance views at the service clock.
func (s *Service) Balance(ctx context.Context, memberID string) (BalanceView, error) {
	now := s.now()
	acct, err := s.view(ctx, memberID, s.expiryNeeds(now))
	if err != nil {
		return BalanceView{}, fmt.Errorf("loyalty: balance of %s: %w", memberID, err)
	}
	b := acct.Points.Balance(now)
	tot := acct.Points.Totals()
	v := BalanceView{
		MemberID: memberID, At: now,
		Available: b.Available, Pending: b.Pending, Held: b.Held, Debt: b.Debt,
		Earned: tot.Earned, Spent: tot.Spent(), Expired: tot.Expired,
		Tier: acct.Tier.Effective(now),
	}
	if s.opts.ExpiryNotice > 0 {
		v.Expiring = acct.Points.ExpiringBy(now, now.Add(s.opts.ExpiryNotice))
	}
	if cash, err := s.program.CashValue(b.Available); err == nil {
		v.Value = cash.StringFixed(s.program.MinorUnit()) + " " + s.program.Currency
	}
	return v, nil
}

// Statement returns a member's ledger entries, oldest first, each with the
// running balances after it.
func (s *Service) Statement(ctx context.Context, memberID string) ([]ledger.StatementLine, error) {
	var entries []ledger.Entry
	for e, err := range s.store.Entries(ctx, memberID, 0) {
		if err != nil {
			return nil, fmt.Errorf("loyalty: statement of %s: %w", memberID, err)
		}
		entries = append(entries, e)
	}
	return ledger.Statement(entries), nil
}

// Export returns what the loyalty programme holds about a member, for
// customer.Options.Exporters: the account's balances, tier, coupons and
// every ledger entry.
func (s *Service) Export(ctx context.Context, memberID string) (any, error) {
	acct, err := s.store.GetAccount(ctx, memberID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	bal, err := s.Balance(ctx, memberID)
	if err != nil {
		return nil, err
	}
	stmt, err := s.Statement(ctx, memberID)
	if err != nil {
		return nil, err
	}
	coupons, err := s.Coupons(ctx, memberID)
	if err != nil {
		return nil, err
	}
	return struct {
		Balance   BalanceView            `json:"balance"`
		Tier      TierState              `json:"tier"`
		Coupons   []Coupon               `json:"coupons"`
		Statement []ledger.StatementLine `json:"statement"`
	}{bal, acct.Tier, coupons, stmt}, nil
}

// Coupons returns the coupons issued to a member, by ID.
func (s *Service) Coupons(ctx context.Context, memberID string) ([]Coupon, error) {
	var out []Coupon
	for r, err := range s.store.Records(ctx, memberID, RecordCoupon) {
		if err != nil {
			return nil, fmt.Errorf("loyalty: coupons of %s: %w", memberID, err)
		}
		var c Coupon
		if err := json.Unmarshal(r.Data, &c); err != nil {
			return nil, fmt.Errorf("loyalty: coupon record %s: %w", r.Key, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// view returns a member's account with the records n names loaded, for a
// read that writes nothing.
func (s *Service) view(ctx context.Context, memberID string, n needs) (Account, error) {
	acct, err := s.store.GetAccount(ctx, memberID)
	if err != nil {
		return Account{}, err
	}
	acct, _, err = s.load(ctx, acct, n, nil)
	return acct, err
}

// expiryNeeds loads the lots a balance or an expiry run looks at: those
// expired by now and those expiring within the notice period.
func (s *Service) expiryNeeds(now time.Time) needs {
	n := needs{at: now, overdue: true}
	if s.opts.ExpiryNotice > 0 {
		n.through = now.Add(s.opts.ExpiryNotice)
	}
	return n
}

// AllCoupons yields the coupons of every member after after, in member
// then coupon ID order, for coupon metrics (metrics.CouponUsageIn).
func AllCoupons(ctx context.Context, store Store, after string) iter.Seq2[Coupon, error] {
	return func(yield func(Coupon, error) bool) {
		for acct, err := range store.Accounts(ctx, after) {
			if err != nil {
				yield(Coupon{}, err)
				return
			}
			for r, err := range store.Records(ctx, acct.MemberID, RecordCoupon) {
				var c Coupon
				if err == nil {
					err = json.Unmarshal(r.Data, &c)
				}
				if !yield(c, err) || err != nil {
					return
				}
			}
		}
	}
}
