package metrics

import (
	"errors"
	"testing"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// officeHours is Monday to Friday, 09:00–18:00 UTC.
func officeHours() feedback.SLAPolicy {
	var c feedback.Calendar
	c.Location = time.UTC
	for d := time.Monday; d <= time.Friday; d++ {
		c.Week[d] = []feedback.Span{{Start: 9 * 60, End: 18 * 60}}
	}
	return feedback.SLAPolicy{Name: "std", Calendar: c}
}

// marchComplaints: 2 March 2026 is a Monday. Times are worked out in
// TestComplaintsInWorkedExample.
func marchComplaints() []feedback.Complaint {
	cny := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	return []feedback.Complaint{
		{
			ID: "c1", Store: "S1", Category: feedback.CategoryProduct, Policy: "std", Status: feedback.StatusClosed,
			ReceivedAt:      utc("2026-03-02T17:00:00Z"),
			FirstResponseAt: utc("2026-03-03T10:00:00Z"),
			ResolvedAt:      utc("2026-03-04T12:00:00Z"),
			Pauses:          []feedback.Interval{{Start: utc("2026-03-03T12:00:00Z"), End: utc("2026-03-04T09:00:00Z")}},
			Remedies: []feedback.Remedy{
				{ID: "r1", Kind: feedback.RemedyRefund, Cost: cny("50.00"), Currency: "CNY"},
				{ID: "r2", Kind: feedback.RemedyGoodwill, Cost: cny("2.00"), Currency: "CNY", Points: 200},
			},
			Satisfaction: 5,
		},
		{
			ID: "c2", Store: "S1", Category: feedback.CategoryService, Policy: "std", Status: feedback.StatusResolved,
			ReceivedAt:         utc("2026-03-04T09:00:00Z"),
			FirstResponseAt:    utc("2026-03-04T09:30:00Z"),
			ResolvedAt:         utc("2026-03-06T18:00:00Z"),
			ResolutionBreached: true, Reopened: 1, Satisfaction: 2,
		},
		{
			ID: "c3", Store: "S2", Category: feedback.CategoryProduct, Policy: "std", Status: feedback.StatusInvestigating,
			ReceivedAt:      utc("2026-03-05T10:00:00Z"),
			FirstResponseAt: utc("2026-03-05T11:00:00Z"),
		},
		{
			ID: "c4", Store: "S2", Category: feedback.CategoryProduct, Policy: "other", Status: feedback.StatusResolved,
			ReceivedAt:            utc("2026-03-06T10:00:00Z"),
			FirstResponseAt:       utc("2026-03-07T10:00:00Z"),
			ResolvedAt:            utc("2026-03-09T10:00:00Z"),
			FirstResponseBreached: true, Satisfaction: 4,
			Remedies: []feedback.Remedy{{ID: "r3", Kind: feedback.RemedyCoupon, Cost: cny("10"), Currency: "CNY"}},
		},
		{ID: "c5", Category: feedback.CategoryBilling, ReceivedAt: utc("2026-04-01T00:00:00Z"), Status: feedback.StatusReceived},
	}
}

var march2026 = Window{From: utc("2026-03-01T00:00:00Z"), To: utc("2026-04-01T00:00:00Z")}

func TestComplaintsInWorkedExample(t *testing.T) {
	opts := &ComplaintOptions{Policies: map[string]feedback.SLAPolicy{"std": officeHours()}}
	k, err := ComplaintsIn(seq(marchComplaints()...), march2026, opts)
	require.NoError(t, err)
	assert.Equal(t, 4, k.Complaints) // c5 is April's
	assert.Equal(t, 1, k.Open)       // c3
	assert.Equal(t, []CategoryCount{
		{Category: feedback.CategoryProduct, Count: 3, Share: 0.75},
		{Category: feedback.CategoryService, Count: 1, Share: 0.25},
	}, k.ByCategory)

	// First response, business time on office hours for "std":
	//   c1 Mon 17:00 → Tue 10:00 = 1h + 1h = 2h; c2 30m; c3 1h;
	//   c4 ("other", wall time) Fri 10:00 → Sat 10:00 = 24h.
	// Sorted [30m 1h 2h 24h]: median at 1.5 = 1h30m; p90 at 2.7 =
	// 2h + 0.7 × 22h = 17h24m.
	assert.Equal(t, DurationStats{N: 4, Median: 90 * time.Minute, P90: 17*time.Hour + 24*time.Minute,
		Basis: BasisMixed, BusinessN: 3, Method: QuantileMethod}, k.FirstResponse)
	// Resolution:
	//   c1 Mon 17–18 (1h) + Tue 09–12 (3h, paused from 12:00 to Wed 09:00)
	//      + Wed 09–12 (3h) = 7h; c2 Wed, Thu, Fri 9h each = 27h;
	//   c4 wall Fri 10:00 → Mon 10:00 = 72h.
	// Sorted [7h 27h 72h]: median 27h; p90 at 1.8 = 27h + 0.8 × 45h = 63h.
	assert.Equal(t, DurationStats{N: 3, Median: 27 * time.Hour, P90: 63 * time.Hour,
		Basis: BasisMixed, BusinessN: 2, Method: QuantileMethod}, k.Resolution)

	// SLA: decided c1 (met), c2 and c4 (breached); c3 is open in time.
	assert.Equal(t, 1, k.SLA.Numerator)
	assert.Equal(t, 3, k.SLA.Denominator)
	assert.Equal(t, WilsonInterval(1, 3), k.SLA.CI)
	// Reopen: c2 of the three resolved.
	assert.Equal(t, 1, k.Reopen.Numerator)
	assert.Equal(t, 3, k.Reopen.Denominator)

	assert.Equal(t, "CNY", k.Currency)
	require.Len(t, k.Remedies, 3)
	assert.Equal(t, feedback.RemedyCoupon, k.Remedies[0].Kind)
	assert.True(t, decimal.NewFromInt(10).Equal(k.Remedies[0].Cost))
	assert.Equal(t, feedback.RemedyGoodwill, k.Remedies[1].Kind)
	assert.Equal(t, int64(200), k.Remedies[1].Points)
	assert.Equal(t, feedback.RemedyRefund, k.Remedies[2].Kind)
	assert.True(t, decimal.RequireFromString("62").Equal(k.RemedyTotal), k.RemedyTotal.String())

	// Handling ratings 5, 2, 4: two of three satisfied.
	assert.Equal(t, 3, k.Handling.N)
	assert.Equal(t, 2, k.Handling.Satisfied)
}

func TestComplaintsInWallTime(t *testing.T) {
	k, err := ComplaintsIn(seq(marchComplaints()...), march2026, nil)
	require.NoError(t, err)
	// Wall first responses: c1 17h, c2 30m, c3 1h, c4 24h. Sorted
	// [30m 1h 17h 24h]: median 9h, p90 17h + 0.7 × 7h = 21h54m.
	assert.Equal(t, BasisWall, k.FirstResponse.Basis)
	assert.Equal(t, 9*time.Hour, k.FirstResponse.Median)
	assert.Equal(t, 21*time.Hour+54*time.Minute, k.FirstResponse.P90)
	// Wall resolutions: c1 43h, c2 57h, c4 72h.
	assert.Equal(t, 57*time.Hour, k.Resolution.Median)
}

func TestComplaintsInRejects(t *testing.T) {
	bad := marchComplaints()[0]
	bad.Satisfaction = 6
	bad.ResolvedAt = bad.ReceivedAt.Add(-time.Hour)
	_, err := ComplaintsIn(seq(bad), march2026, nil)
	assert.ErrorIs(t, err, ErrInvalidScore)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Contains(t, err.Error(), "Satisfaction")
	assert.Contains(t, err.Error(), "ResolvedAt")

	usd := marchComplaints()[3]
	usd.ID = "c9"
	usd.Remedies = []feedback.Remedy{{Kind: feedback.RemedyCoupon, Cost: decimal.NewFromInt(1), Currency: "USD"}}
	_, err = ComplaintsIn(seq(marchComplaints()[0], usd), march2026, nil)
	assert.ErrorIs(t, err, ErrMixedCurrency)

	boom := errors.New("offline")
	_, err = ComplaintsIn(failing[feedback.Complaint](boom), march2026, nil)
	assert.ErrorIs(t, err, boom)

	_, err = ComplaintsIn(seq(marchComplaints()...), Window{}, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestComplaintsInEmpty(t *testing.T) {
	k, err := ComplaintsIn(seq[feedback.Complaint](), march2026, nil)
	require.NoError(t, err)
	assert.Zero(t, k.Complaints)
	assert.Zero(t, k.FirstResponse.N)
	assert.Empty(t, k.FirstResponse.Basis)
	assert.True(t, k.SLA.CI.IsZero())
	assert.True(t, k.RemedyTotal.IsZero())
}

func TestQuantileDefinition7(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{[]time.Duration{h}, 0.5, h},
		{[]time.Duration{h, 3 * h}, 0.5, 2 * h},
		{[]time.Duration{h, 2 * h, 3 * h, 4 * h, 5 * h, 6 * h, 7 * h, 8 * h, 9 * h, 10 * h}, 0.9, 9*h + 6*time.Minute},
		{[]time.Duration{h, 2 * h, 3 * h}, 1, 3 * h},
		{[]time.Duration{h, 2 * h, 3 * h}, 0, h},
	} {
		assert.Equal(t, tc.want, quantile(tc.in, tc.p), "%v p=%v", tc.in, tc.p)
	}
}

func TestScoresFromResponses(t *testing.T) {
	at := utc("2026-03-02T10:00:00Z")
	rs := []feedback.Response{
		{ID: "r1", Store: "S1", Staff: "amy", Channel: feedback.ChannelApp, CustomerID: "m1", Time: at, Answers: []feedback.Answer{
			{QuestionID: "q1", Kind: feedback.KindNPS, Score: 9},
			{QuestionID: "q2", Kind: feedback.KindCSAT, Score: 4},
			{QuestionID: "q3", Kind: feedback.KindComment, Text: "fine"},
			{QuestionID: "q4", Kind: feedback.KindStars, Score: 5},
			{QuestionID: "q5", Kind: feedback.KindCES, Score: 6},
		}},
		{ID: "r2", Time: at, Answers: []feedback.Answer{{QuestionID: "q1", Kind: feedback.KindNPS, Score: 3}}},
	}
	var got []Score
	for s, err := range ScoresFrom(seq(rs...)) {
		require.NoError(t, err)
		got = append(got, s)
	}
	assert.Equal(t, []Score{
		{Kind: KindNPS, Value: 9, Time: at, Store: "S1", Staff: "amy", Channel: "app", CustomerID: "m1"},
		{Kind: KindCSAT, Value: 4, Time: at, Store: "S1", Staff: "amy", Channel: "app", CustomerID: "m1"},
		{Kind: KindCES, Value: 6, Time: at, Store: "S1", Staff: "amy", Channel: "app", CustomerID: "m1"},
		{Kind: KindNPS, Value: 3, Time: at},
	}, got)

	s, err := Satisfaction(ScoresFrom(seq(rs...)), nil)
	require.NoError(t, err)
	assert.Equal(t, 2, s.NPS.N)
	assert.InDelta(t, 0.0, s.NPS.Score, 1e-12) // one promoter, one detractor

	boom := errors.New("offline")
	_, err = Satisfaction(ScoresFrom(failing(boom, rs[0])), nil)
	assert.ErrorIs(t, err, boom)
}
