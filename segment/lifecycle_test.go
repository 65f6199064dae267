package segment_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func ago(days float64) time.Time { return asOf.Add(-time.Duration(days * float64(24*time.Hour))) }

// history builds facts with n purchases spread evenly from firstAgo to
// lastAgo days before asOf.
func history(n int, firstAgo, lastAgo float64) *segment.Facts {
	f := &segment.Facts{CustomerID: "x", Known: true, Purchases: int64(n)}
	if n == 0 {
		return f
	}
	f.First, f.Last = ago(firstAgo), ago(lastAgo)
	if n >= 2 {
		step := (firstAgo - lastAgo) / float64(n-1)
		f.PrevLast = ago(lastAgo + step)
	}
	return f
}

func TestStageOfHandChecked(t *testing.T) {
	def := segment.DefaultLifecycle()
	furniture := segment.LifecycleConfig{NewDays: 90, AtRiskDays: 365, LapsedDays: 730, LoyalPurchases: 3}
	wonBack := history(2, 400, 5)
	tests := []struct {
		name string
		cfg  segment.LifecycleConfig
		f    *segment.Facts
		want segment.Stage
	}{
		{"no purchase", def, history(0, 0, 0), segment.StageProspect},
		{"first purchase 10 days ago", def, history(1, 10, 10), segment.StageNew},
		{"one purchase 40 days ago", def, history(1, 40, 40), segment.StageActive},
		{"two purchases", def, history(2, 100, 20), segment.StageRepeat},
		{"five purchases, mean gap 47.5 days", def, history(5, 200, 10), segment.StageLoyal},
		{"silent 100 days", def, history(1, 100, 100), segment.StageAtRisk},
		{"silent 200 days", def, history(1, 200, 200), segment.StageLapsed},
		{"came back after 395 days", def, wonBack, segment.StageWonBack},
		// Ten purchases 5.4 days apart: at risk after max(10, 14) = 14
		// days, lapsed after 21; silent 21 days is at risk, not loyal.
		{"weekly shopper silent 3 weeks", def, history(10, 70, 21), segment.StageAtRisk},
		{"weekly shopper silent 25 days", def, history(10, 74, 25), segment.StageLapsed},
		{"furniture: 200 days is still active", furniture, history(1, 200, 200), segment.StageActive},
		{"furniture: 400 days is at risk", furniture, history(1, 400, 400), segment.StageAtRisk},
		{"furniture: 3 purchases is loyal", furniture, history(3, 1000, 100), segment.StageLoyal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, tt.cfg.Validate())
			assert.Equal(t, tt.want, tt.cfg.StageOf(tt.f, asOf))
		})
	}
	atRisk, lapsed, personal := def.Gaps(history(10, 70, 21))
	assert.Equal(t, []int64{14, 21}, []int64{atRisk, lapsed})
	assert.True(t, personal)
}

func TestLifecycleValidate(t *testing.T) {
	err := segment.LifecycleConfig{NewDays: 0, AtRiskDays: 100, LapsedDays: 50, LoyalPurchases: 1, RhythmMinPurchases: 2}.Validate()
	require.Error(t, err)
	for _, want := range []string{"lifecycle.newDays", "lifecycle.lapsedDays: is 50", "lifecycle.loyalPurchases", "lifecycle.rhythmMinPurchases"} {
		assert.Contains(t, err.Error(), want)
	}
	counts, err := segment.StageCounts([]segment.Facts{*history(0, 0, 0), *history(1, 10, 10), *history(1, 12, 12)}, asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, map[segment.Stage]int{segment.StageProspect: 1, segment.StageNew: 2}, counts)
	_, err = segment.StageCounts(nil, asOf, &segment.LifecycleConfig{NewDays: 1})
	assert.ErrorIs(t, err, segment.ErrInvalid)
}

func TestValueClassesPareto(t *testing.T) {
	sums := []segment.Summary{
		{CustomerID: "a", Monetary: 4000}, {CustomerID: "b", Monetary: 2000}, {CustomerID: "c", Monetary: 2000},
		{CustomerID: "d", Monetary: 1000}, {CustomerID: "e", Monetary: 500}, {CustomerID: "f", Monetary: 500},
		{CustomerID: "g", Monetary: 0}, {CustomerID: "h", Monetary: -100},
	}
	got, err := segment.ValueClasses(sums, nil)
	require.NoError(t, err)
	classes := ""
	for _, r := range got {
		classes += string(r.Class[0])
	}
	// Total 10000. a: 0 ahead -> high; b, c: 4000 ahead (40%) -> high;
	// d: 8000 ahead (80%, not below 80) -> medium; e, f: 9000 (90%) ->
	// medium; g, h: no positive value -> low.
	assert.Equal(t, "hhhmmmll", classes)

	got, err = segment.ValueClasses(sums, &segment.ValueConfig{HighPercent: 50, MediumPercent: 30})
	require.NoError(t, err)
	classes = ""
	for _, r := range got {
		classes += string(r.Class[0])
	}
	// a 0% -> high; b, c 40% -> high; d 80% -> low (not below 80).
	assert.Equal(t, "hhhlllll", classes)

	_, err = segment.ValueClasses(sums, &segment.ValueConfig{HighPercent: 100, MediumPercent: 5})
	assert.ErrorIs(t, err, segment.ErrInvalid)
}

func TestValueClassesThresholds(t *testing.T) {
	sums := []segment.Summary{{CustomerID: "a", Monetary: 3000}, {CustomerID: "b", Monetary: 2999}, {CustomerID: "c", Monetary: 1000}, {CustomerID: "d", Monetary: 999}}
	got, err := segment.ValueClasses(sums, &segment.ValueConfig{Thresholds: &segment.ValueThresholds{High: dec("30"), Medium: dec("10")}})
	require.NoError(t, err)
	assert.Equal(t, []segment.ValueClass{segment.ValueHigh, segment.ValueMedium, segment.ValueMedium, segment.ValueLow},
		[]segment.ValueClass{got[0].Class, got[1].Class, got[2].Class, got[3].Class})
	_, err = segment.ValueClasses(sums, &segment.ValueConfig{Thresholds: &segment.ValueThresholds{High: dec("1"), Medium: dec("10.001")}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "value.thresholds.medium")
}
