package campaign_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func testCampaign(id string) *campaign.Campaign {
	return &campaign.Campaign{ID: id, Name: "Winter win-back", Currency: "CNY",
		Audience: segment.WinBack(customer.ContactSMS),
		Offer: campaign.Offer{Kind: campaign.OfferCoupon, RewardID: "coupon-20", ValidDays: 14,
			ContactCost: decimal.RequireFromString("0.05"), FaceValue: decimal.RequireFromString("20")},
		IssueFrom: start, IssueTo: start.AddDate(0, 0, 7), MeasureTo: start.AddDate(0, 1, 0),
		ControlShare: decimal.RequireFromString("0.2")}
}

func members(n int) segment.Membership {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%04d", i)
	}
	return segment.NewMembership(ids)
}

// fakeIssuer records what it issued, idempotent by key, and can fail.
type fakeIssuer struct {
	mu     sync.Mutex
	issued map[string]string
	calls  int
	failAt int // fail the n-th call (1-based); 0 never
}

func (f *fakeIssuer) Issue(_ context.Context, r campaign.IssueRequest) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.failAt > 0 && f.calls == f.failAt {
		return "", errors.New("sms gateway down")
	}
	if f.issued == nil {
		f.issued = map[string]string{}
	}
	if ref, ok := f.issued[r.Key]; ok {
		return ref, nil
	}
	ref := "ref-" + r.MemberID
	f.issued[r.Key] = ref
	return ref, nil
}

func newService(t *testing.T, is campaign.Issuer) *campaign.Service {
	s, err := campaign.NewService(campaign.NewMemoryStore(), is, nil)
	require.NoError(t, err)
	return s
}

func TestIssueDrawsControlAndNeverContactsIt(t *testing.T) {
	is := &fakeIssuer{}
	s := newService(t, is)
	c := testCampaign("winter")
	rep, err := s.Issue(t.Context(), c, members(500), start.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 500, rep.Treated+rep.Control)
	assert.Len(t, rep.Offered, rep.Treated)
	assert.Len(t, is.issued, rep.Treated, "only treated members are issued")
	for m, err := range s.Store().Members(t.Context(), "winter") {
		require.NoError(t, err)
		ctrl := campaign.InControl("winter", m.MemberID, c.ControlShare)
		assert.Equal(t, ctrl, m.Group == campaign.Control, m.MemberID)
		_, contacted := is.issued["campaign:winter:"+m.MemberID]
		assert.Equal(t, !ctrl, contacted, m.MemberID)
	}
	h, err := s.Store().GetHeader(t.Context(), "winter")
	require.NoError(t, err)
	assert.Equal(t, int64(rep.Treated), h.Issued)
	assert.Equal(t, int64(rep.Treated)*2005, h.ReservedMinor, "0.05 + 20 CNY per treated member")
}

// The draw depends on the campaign and member IDs only: the same members
// in another order or batches give the same groups.
func TestControlGroupIsReproducible(t *testing.T) {
	c := testCampaign("spring")
	a := newService(t, &fakeIssuer{})
	b := newService(t, &fakeIssuer{})
	_, err := a.Issue(t.Context(), c, members(300), start)
	require.NoError(t, err)
	all := members(300).IDs()
	for i := 0; i < len(all); i += 50 { // batches, last first
		j := len(all) - i
		_, err := b.Issue(t.Context(), c, segment.NewMembership(all[max(0, j-50):j]), start)
		require.NoError(t, err)
	}
	groups := func(s *campaign.Service) map[string]campaign.Group {
		out := map[string]campaign.Group{}
		for m, err := range s.Store().Members(t.Context(), "spring") {
			require.NoError(t, err)
			out[m.MemberID] = m.Group
		}
		return out
	}
	assert.Equal(t, groups(a), groups(b))
}

// Over many members the held-out share is the control share, within a
// binomial 4-sigma band; two campaigns draw independently.
func TestControlShareSpread(t *testing.T) {
	share := decimal.RequireFromString("0.1")
	n, inA, inBoth := 20000, 0, 0
	for i := range n {
		id := fmt.Sprintf("member-%d", i)
		a := campaign.InControl("A", id, share)
		if a {
			inA++
		}
		if a && campaign.InControl("B", id, share) {
			inBoth++
		}
	}
	sd := 0.3 * 141.42 // sqrt(n·p·(1−p)) = sqrt(1800) ≈ 42.4
	assert.InDelta(t, 2000, inA, 4*sd)
	assert.InDelta(t, 200, inBoth, 4*14.1, "independent draws overlap by p² (sd √(n·p²(1−p²)) ≈ 14)")
	assert.False(t, campaign.InControl("A", "x", decimal.Zero))
}

func TestIssueResumesAfterAFailure(t *testing.T) {
	is := &fakeIssuer{failAt: 5}
	s := newService(t, is)
	c := testCampaign("resume")
	c.ControlShare = decimal.Zero
	_, err := s.Issue(t.Context(), c, members(10), start)
	require.Error(t, err, "the fifth issue fails")
	rep, err := s.Issue(t.Context(), c, members(10), start.Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Resumed, "four issued and one drawn but not issued")
	assert.Equal(t, 5, rep.Treated)
	assert.Len(t, rep.Offered, 6, "the one left unissued, then five new")
	assert.Len(t, is.issued, 10, "each offer once")
	rep, err = s.Issue(t.Context(), c, members(10), start.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 10, rep.Resumed)
	assert.Empty(t, rep.Offered, "a rerun issues nothing again")
	h, _ := s.Store().GetHeader(t.Context(), "resume")
	assert.Equal(t, int64(10), h.Issued)
	assert.Equal(t, int64(10), h.Treated)
}

func TestBudgetStopsTheRun(t *testing.T) {
	s := newService(t, &fakeIssuer{})
	c := testCampaign("budget")
	c.Budget.MaxCost = decimal.RequireFromString("100.25") // five treated members at 20.05
	rep, err := s.Issue(t.Context(), c, members(100), start)
	require.NoError(t, err)
	assert.Equal(t, 5, rep.Treated)
	assert.Equal(t, "budget", rep.Stopped)
	h, _ := s.Store().GetHeader(t.Context(), "budget")
	assert.Equal(t, int64(10025), h.ReservedMinor)
	c2 := testCampaign("cap")
	c2.Budget.MaxTreated = 3
	rep, err = s.Issue(t.Context(), c2, members(100), start)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Treated)
}

func TestConcurrentRunsIssueOnceWithinBudget(t *testing.T) {
	is := &fakeIssuer{}
	s := newService(t, is)
	c := testCampaign("race")
	c.Budget.MaxTreated = 40
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, err := s.Issue(context.Background(), c, members(200), start)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	h, err := s.Store().GetHeader(t.Context(), "race")
	require.NoError(t, err)
	assert.Equal(t, int64(40), h.Treated)
	assert.Equal(t, int64(40), h.Issued)
	assert.Len(t, is.issued, 40)
}

func TestIssueRefusals(t *testing.T) {
	s := newService(t, &fakeIssuer{})
	c := testCampaign("w")
	_, err := s.Issue(t.Context(), c, members(3), start.Add(-time.Second))
	assert.ErrorIs(t, err, campaign.ErrNotScheduled)
	_, err = s.Issue(t.Context(), c, members(3), c.IssueTo)
	assert.ErrorIs(t, err, campaign.ErrNotScheduled)
	_, err = s.Issue(t.Context(), c, members(3), start)
	require.NoError(t, err)
	changed := *c
	changed.ControlShare = decimal.RequireFromString("0.5")
	_, err = s.Issue(t.Context(), &changed, members(5), start)
	assert.ErrorIs(t, err, campaign.ErrIdempotencyMismatch, "a changed campaign would mix two experiments")
	bad := testCampaign("")
	bad.ControlShare = decimal.RequireFromString("0.7")
	bad.Offer.Kind = "gift"
	err = bad.Validate()
	require.ErrorIs(t, err, campaign.ErrInvalid)
	for _, f := range []string{"id", "controlShare", "offer.kind"} {
		assert.Contains(t, err.Error(), "campaign: "+f+":")
	}
}

func TestRedeemedAndEligible(t *testing.T) {
	s := newService(t, &fakeIssuer{})
	c := testCampaign("redeem")
	_, err := s.Issue(t.Context(), c, members(40), start)
	require.NoError(t, err)
	var treated, control string
	for m, err := range s.Store().Members(t.Context(), "redeem") {
		require.NoError(t, err)
		if m.Group == campaign.Treated && treated == "" {
			treated = m.MemberID
		}
		if m.Group == campaign.Control && control == "" {
			control = m.MemberID
		}
	}
	require.NotEmpty(t, control)
	r := campaign.Redemption{MemberID: treated, PurchaseID: "p1", Value: decimal.RequireFromString("20"), At: start.Add(48 * time.Hour)}
	require.NoError(t, s.Redeemed(t.Context(), c, r))
	require.NoError(t, s.Redeemed(t.Context(), c, r), "a replay")
	r2 := r
	r2.PurchaseID = "p2"
	assert.ErrorIs(t, s.Redeemed(t.Context(), c, r2), campaign.ErrIdempotencyMismatch)
	r3 := r
	r3.MemberID = control
	assert.ErrorIs(t, s.Redeemed(t.Context(), c, r3), campaign.ErrNotTreated)
	h, _ := s.Store().GetHeader(t.Context(), "redeem")
	assert.Equal(t, int64(1), h.Redeemed)
	assert.Equal(t, int64(2000), h.RedeemedMinor)

	ok, err := s.Eligible(t.Context(), "redeem", treated, start.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, ok)
	ok, _ = s.Eligible(t.Context(), "redeem", treated, start.AddDate(0, 0, 14))
	assert.False(t, ok, "valid 14 days")
	ok, _ = s.Eligible(t.Context(), "redeem", control, start.Add(time.Hour))
	assert.False(t, ok, "control members are never eligible")
	ok, _ = s.Eligible(t.Context(), "redeem", "stranger", start.Add(time.Hour))
	assert.False(t, ok)
}

// Through the loyalty service: the coupon lands in the member's account,
// once, whatever the reruns.
func TestLoyaltyIssuer(t *testing.T) {
	data, err := os.ReadFile("../testdata/program.json")
	require.NoError(t, err)
	program, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	now := func() time.Time { return start }
	customers := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now})
	var ids []string
	for i := range 12 {
		c, err := customers.Register(t.Context(), customer.Registration{Profile: customer.Profile{Name: fmt.Sprint("Member ", i)}, Force: true})
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	points, err := loyalty.NewService(program, loyalty.NewMemoryStore(), customers, &loyalty.Options{Clock: now})
	require.NoError(t, err)
	s, err := campaign.NewService(campaign.NewMemoryStore(), campaign.LoyaltyIssuer{Loyalty: points}, nil)
	require.NoError(t, err)
	c := testCampaign("xmas")
	for range 2 {
		_, err = s.Issue(t.Context(), c, segment.NewMembership(ids), start)
		require.NoError(t, err)
	}
	for m, err := range s.Store().Members(t.Context(), "xmas") {
		require.NoError(t, err)
		coupons, err := points.Coupons(t.Context(), m.MemberID)
		if m.Group == campaign.Control {
			assert.True(t, err != nil || len(coupons) == 0, "no coupon for a control member")
			continue
		}
		require.NoError(t, err)
		require.Len(t, coupons, 1)
		assert.Equal(t, "coupon-20", coupons[0].RewardID)
		assert.True(t, m.ValidUntil.Equal(coupons[0].ValidUntil))
	}
}
