package segment_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoyaltySource(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	pts, err := ledger.New("m1")
	require.NoError(t, err)
	pts, _, err = pts.Earn("l1", 300, t0, time.Time{}, t0.AddDate(0, 0, 20), "p1")
	require.NoError(t, err)
	pts, _, err = pts.Earn("l2", 500, t0, time.Time{}, time.Time{}, "p2")
	require.NoError(t, err)
	member := loyalty.Account{MemberID: "m1", Version: 1, Points: pts,
		Tier: loyalty.TierState{Tier: "silver", MemberSince: t0.AddDate(-1, 0, 0),
			Override: &loyalty.TierOverride{Tier: "gold", Until: t0.AddDate(0, 1, 0)}}}
	empty, _ := ledger.New("m2")
	merged := loyalty.Account{MemberID: "m2", Version: 2, Points: empty, MergedInto: "m1"}

	get, err := segment.LoyaltySource(seq(member, merged), t0.AddDate(0, 0, 1))
	require.NoError(t, err)
	f := get("m1")
	assert.True(t, f.Member)
	assert.Equal(t, "gold", f.Tier, "the tier held at asOf, override included")
	assert.Equal(t, int64(800), f.Points)
	assert.Equal(t, int64(300), f.PointsExpiringWithin(t0.AddDate(0, 0, 1), 30))
	assert.False(t, get("m2").Member, "a merged account's points live with the survivor")
	assert.False(t, get("nobody").Member)
}

func TestFeedbackSourceKeepsTheLatestNPS(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	nps := func(id, cust string, at time.Time, score int) feedback.Response {
		return feedback.Response{ID: id, CustomerID: cust, Time: at,
			Answers: []feedback.Answer{{QuestionID: "q", Kind: feedback.KindNPS, Score: score}}}
	}
	get, err := segment.FeedbackSource(seq(
		nps("r1", "c1", t0, 3),
		nps("r2", "c1", t0.AddDate(0, 1, 0), 10),
		nps("r3", "c1", t0.AddDate(0, 3, 0), 0), // after asOf
		nps("r4", "", t0, 9),                    // anonymous
	), t0.AddDate(0, 2, 0))
	require.NoError(t, err)
	assert.Equal(t, segment.NPSPromoter, get("c1").Group())
	assert.Equal(t, segment.NPSNone, get("c2").Group())
}
