package metrics

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scoresOf(kind Kind, values ...int) []Score {
	out := make([]Score, len(values))
	for i, v := range values {
		out[i] = Score{Kind: kind, Value: v, Time: utc("2026-03-01T10:00:00Z")}
	}
	return out
}

func TestSatisfactionWorkedExample(t *testing.T) {
	var all []Score
	// NPS: promoters 10, 9, 9, 10; passives 8, 7; detractors 6, 5, 0, 3.
	all = append(all, scoresOf(KindNPS, 10, 9, 9, 8, 7, 6, 5, 0, 10, 3)...)
	// CSAT: 7 of 10 answers are 4 or 5.
	all = append(all, scoresOf(KindCSAT, 5, 4, 4, 3, 5, 2, 5, 4, 1, 5)...)
	// CES: mean 5.8, s = √1.7 = 1.303840.
	all = append(all, scoresOf(KindCES, 7, 6, 5, 7, 4)...)

	got, err := Satisfaction(seq(all...), nil)
	require.NoError(t, err)

	assert.Equal(t, NPSResult{N: 10, Promoters: 4, Passives: 2, Detractors: 4, Score: 0, CI: got.NPS.CI}, got.NPS)
	// n' = 13, p' = d' = 4.75/13 = 0.365385, var = 0.730769,
	// se = 0.237094, half-width 0.464694.
	assert.InDelta(t, -46.47, got.NPS.CI.Lower, 0.005)
	assert.InDelta(t, 46.47, got.NPS.CI.Upper, 0.005)

	assert.Equal(t, 10, got.CSAT.N)
	assert.Equal(t, 7, got.CSAT.Satisfied)
	assert.InDelta(t, 0.7, got.CSAT.Share, 1e-12)
	assert.Equal(t, 5, got.CSAT.Scale)
	assert.Equal(t, 4, got.CSAT.TopBox)
	// Wilson 7/10: [0.3968, 0.8922].
	assert.InDelta(t, 0.3968, got.CSAT.CI.Lower, 0.00005)
	assert.InDelta(t, 0.8922, got.CSAT.CI.Upper, 0.00005)

	assert.Equal(t, 5, got.CES.N)
	assert.InDelta(t, 5.8, got.CES.Mean, 1e-12)
	assert.InDelta(t, 1.303840, got.CES.SD, 1e-6)
	// t(4) = 2.776445; half-width 2.776445·1.303840/√5 = 1.618936:
	// [4.181064, 7.418936], the top clipped to the scale's 7.
	assert.InDelta(t, 4.181064, got.CES.CI.Lower, 1e-5)
	assert.Equal(t, 7.0, got.CES.CI.Upper)
	assert.Equal(t, MethodStudentT, got.CES.CI.Method)
}

func TestSatisfactionCSATOptions(t *testing.T) {
	scores := scoresOf(KindCSAT, 7, 6, 5, 4, 1)
	got, err := Satisfaction(seq(scores...), &SatisfactionOptions{CSATScale: 7, CSATTopBox: 5})
	require.NoError(t, err)
	assert.Equal(t, 3, got.CSAT.Satisfied)
	assert.Equal(t, 7, got.CSAT.Scale)
	assert.Equal(t, 5, got.CSAT.TopBox)

	got, err = Satisfaction(seq(scores...), &SatisfactionOptions{CSATScale: 7})
	require.NoError(t, err)
	assert.Equal(t, 6, got.CSAT.TopBox, "top two boxes by default")
	assert.Equal(t, 2, got.CSAT.Satisfied)
}

func TestSatisfactionOptionsReportEveryProblem(t *testing.T) {
	_, err := Satisfaction(seq[Score](), &SatisfactionOptions{CSATScale: 11, CSATTopBox: -2})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *FieldError
		require.True(t, errors.As(e, &fe))
		fields = append(fields, fe.Field)
	}
	assert.Equal(t, []string{"CSATScale", "CSATTopBox"}, fields)
}

func TestSatisfactionEmptyAndSmall(t *testing.T) {
	got, err := Satisfaction(seq[Score](), nil)
	require.NoError(t, err)
	assert.Zero(t, got.NPS.N)
	assert.True(t, got.NPS.CI.IsZero())
	assert.True(t, got.CSAT.CI.IsZero())
	assert.True(t, got.CES.CI.IsZero())

	got, err = Satisfaction(seq(scoresOf(KindCES, 3)...), nil)
	require.NoError(t, err)
	assert.Equal(t, 3.0, got.CES.Mean)
	assert.True(t, got.CES.CI.IsZero(), "one answer has no t interval")
}

func TestSatisfactionRejectsBadScores(t *testing.T) {
	tests := []struct {
		name  string
		score Score
		field string
	}{
		{"nps above 10", Score{Kind: KindNPS, Value: 11}, "Value"},
		{"nps negative", Score{Kind: KindNPS, Value: -1}, "Value"},
		{"csat zero", Score{Kind: KindCSAT, Value: 0}, "Value"},
		{"csat above scale", Score{Kind: KindCSAT, Value: 6}, "Value"},
		{"ces above 7", Score{Kind: KindCES, Value: 8}, "Value"},
		{"unknown kind", Score{Kind: "stars", Value: 3}, "Kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Satisfaction(seq(tc.score), nil)
			require.ErrorIs(t, err, ErrInvalidScore)
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.field, fe.Field)
		})
	}
}

func TestSatisfactionStreamError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := Satisfaction(failing(boom, scoresOf(KindNPS, 9)...), nil)
	assert.ErrorIs(t, err, boom)
}

func TestSatisfactionByDimensions(t *testing.T) {
	at := utc("2026-03-02T15:30:00Z") // 23:30 Monday in Shanghai
	scores := []Score{
		{Kind: KindNPS, Value: 10, Store: "S1", Staff: "amy", Channel: "in-store", Time: at},
		{Kind: KindNPS, Value: 2, Store: "S2", Staff: "bob", Channel: "app", Time: at.Add(time.Hour)}, // Tuesday 00:30
		{Kind: KindNPS, Value: 9, Store: "S1", Channel: "in-store", Time: at.Add(-48 * time.Hour)},    // Saturday
		{Kind: KindCSAT, Value: 5, Store: "S2", Staff: "bob", Channel: "app", Time: at},
	}
	tests := []struct {
		by   Dimension
		name string
		keys []string
		nps  []int // NPS N per group
	}{
		{ByStore, "store", []string{"S1", "S2"}, []int{2, 1}},
		{ByStaff, "staff", []string{"", "amy", "bob"}, []int{1, 1, 1}},
		{ByChannel, "channel", []string{"app", "in-store"}, []int{1, 2}},
		{ByPeriod(Day, shanghai), "day@Asia/Shanghai", []string{"2026-02-28", "2026-03-02", "2026-03-03"}, []int{1, 1, 1}},
		{ByPeriod(Week, shanghai), "week@Asia/Shanghai", []string{"2026-W09", "2026-W10"}, []int{1, 2}},
		{ByPeriod(Month, time.UTC), "month@UTC", []string{"2026-02", "2026-03"}, []int{1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SatisfactionBy(seq(scores...), tc.by, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.name, got.By)
			var keys []string
			var ns []int
			for _, g := range got.Groups {
				keys = append(keys, g.Key)
				ns = append(ns, g.NPS.N)
			}
			assert.Equal(t, tc.keys, keys)
			assert.Equal(t, tc.nps, ns)
			assert.Equal(t, 3, got.Total.NPS.N)
			assert.Equal(t, 1, got.Total.CSAT.N)
		})
	}
}

func TestSatisfactionByRejects(t *testing.T) {
	_, err := SatisfactionBy(seq[Score](), Dimension{}, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = SatisfactionBy(seq[Score](), ByPeriod(Day, nil), nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = SatisfactionBy(seq[Score](), ByPeriod("fortnight", time.UTC), nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = SatisfactionBy(seq(Score{Kind: KindNPS, Value: 3}), ByPeriod(Day, time.UTC), nil)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Time", fe.Field)
	assert.ErrorIs(t, err, ErrInvalidScore)
}

func TestSatisfactionOver(t *testing.T) {
	w := Window{From: utc("2026-02-25T00:00:00Z"), To: utc("2026-04-10T00:00:00Z")}
	scores := []Score{
		{Kind: KindNPS, Value: 10, Time: utc("2026-02-20T00:00:00Z")}, // before w
		{Kind: KindNPS, Value: 10, Time: utc("2026-02-26T00:00:00Z")},
		{Kind: KindNPS, Value: 0, Time: utc("2026-02-27T00:00:00Z")},
		{Kind: KindNPS, Value: 9, Time: utc("2026-04-09T23:59:59Z")},
		{Kind: KindNPS, Value: 9, Time: utc("2026-04-10T00:00:00Z")}, // at w.To: outside
	}
	got, err := SatisfactionOver(seq(scores...), w, Month, time.UTC, nil)
	require.NoError(t, err)
	require.Len(t, got.Points, 3)
	assert.Equal(t, "2026-02", got.Points[0].Period.String())
	assert.True(t, got.Points[0].Partial)
	assert.Equal(t, 2, got.Points[0].NPS.N)
	assert.Equal(t, 0.0, got.Points[0].NPS.Score)
	assert.Equal(t, "2026-03", got.Points[1].Period.String())
	assert.False(t, got.Points[1].Partial)
	assert.Equal(t, 0, got.Points[1].NPS.N, "an empty month is a gap, not skipped")
	assert.True(t, got.Points[1].NPS.CI.IsZero())
	assert.True(t, got.Points[2].Partial)
	assert.Equal(t, 100.0, got.Points[2].NPS.Score)
	assert.Equal(t, 3, got.Total.NPS.N)
	assert.Equal(t, 2, got.Outside)
	assert.Equal(t, "UTC", got.Location)

	_, err = SatisfactionOver(seq(scores...), Window{From: w.To, To: w.From}, Month, time.UTC, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = SatisfactionOver(seq(scores...), w, Month, nil, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
}

func TestSatisfactionOverRefusesHugeTrends(t *testing.T) {
	w := Window{From: utc("1700-01-01T00:00:00Z"), To: utc("2026-01-01T00:00:00Z")}
	_, err := SatisfactionOver(seq[Score](), w, Day, time.UTC, nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	got, err := SatisfactionOver(seq[Score](), w, Month, time.UTC, nil)
	require.NoError(t, err)
	assert.Len(t, got.Points, 326*12)
}
