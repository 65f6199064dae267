package segment_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var asOf = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func daysAgo(d int) int64 { return asOf.Add(-time.Duration(d) * 24 * time.Hour).Unix() }

// handSums: ten customers, hand-scored below.
func handSums() []segment.Summary {
	return []segment.Summary{
		{CustomerID: "a", Last: daysAgo(1), Purchases: 10, Monetary: 100000},
		{CustomerID: "b", Last: daysAgo(2), Purchases: 8, Monetary: 90000},
		{CustomerID: "c", Last: daysAgo(5), Purchases: 1, Monetary: 5000},
		{CustomerID: "d", Last: daysAgo(10), Purchases: 1, Monetary: 4000},
		{CustomerID: "e", Last: daysAgo(30), Purchases: 3, Monetary: 30000},
		{CustomerID: "f", Last: daysAgo(60), Purchases: 1, Monetary: 3000},
		{CustomerID: "g", Last: daysAgo(90), Purchases: 6, Monetary: 80000},
		{CustomerID: "h", Last: daysAgo(200), Purchases: 1, Monetary: 2000},
		{CustomerID: "i", Last: daysAgo(300), Purchases: 5, Monetary: 70000},
		{CustomerID: "j", Last: daysAgo(400), Purchases: 1, Monetary: 1000},
		{CustomerID: "prospect"},
	}
}

func TestScoreRFMQuantilesHandChecked(t *testing.T) {
	rep, err := segment.ScoreRFM(handSums(), asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, 10, rep.Scored)
	assert.Equal(t, 1, rep.Skipped)
	assert.Equal(t, "rfm11", rep.Map)
	assert.Equal(t, segment.TiePolicy, rep.Ties)
	// R: recency ranks best to worst a..j, 2 per bin: a,b=5 c,d=4 e,f=3 g,h=2 i,j=1.
	// F: five customers bought once (worse=0 -> 1); 3 (e) has 5 worse -> 1+5*5/10=3;
	// 5 (i) 6 worse -> 4; 6 (g) 7 -> 4; 8 (b) 8 -> 5; 10 (a) 9 -> 5.
	// M: distinct, ranks j..a: j,h=1 f,d=2 c,e=3 i,g=4 b,a=5.
	// Segments by RFM11 with FM = (F+M+1)/2.
	want := map[string]struct{ code, seg string }{
		"a":        {"555", segment.SegChampions},
		"b":        {"555", segment.SegChampions},
		"c":        {"413", segment.SegPotentialLoyalist}, // R4 FM2
		"d":        {"412", segment.SegPotentialLoyalist}, // R4 FM2
		"e":        {"333", segment.SegNeedAttention},     // R3 FM3
		"f":        {"312", segment.SegNeedAttention},     // R3 FM2
		"g":        {"244", segment.SegAtRisk},            // R2 FM4
		"h":        {"211", segment.SegHibernating},       // R2 FM1
		"i":        {"144", segment.SegCannotLose},        // R1 FM4
		"j":        {"111", segment.SegLost},              // R1 FM1
		"prospect": {"", ""},
	}
	for _, r := range rep.Results {
		w := want[r.CustomerID]
		assert.Equal(t, w.code, r.Score.Code(), r.CustomerID)
		assert.Equal(t, w.seg, r.Score.Segment, r.CustomerID)
	}
	assert.Equal(t, int64(400), rep.Results[9].RecencyDays)
}

func TestScoreRFMThresholds(t *testing.T) {
	cfg := &segment.RFMConfig{Method: segment.ByThresholds, Map: ptr(segment.RF10()), Thresholds: &segment.Thresholds{
		RecencyDays: []int64{7, 30, 90, 180},
		Frequency:   []int64{2, 3, 5, 8},
		Monetary:    []decimal.Decimal{dec("50"), dec("100"), dec("500"), dec("900")},
	}}
	rep, err := segment.ScoreRFM(handSums(), asOf, cfg)
	require.NoError(t, err)
	got := map[string]string{}
	for _, r := range rep.Results {
		got[r.CustomerID] = r.Score.Code()
	}
	// a: 1 day -> 5; 10 purchases >= 8 -> 5; 1000.00 >= 900 -> 5.
	assert.Equal(t, "555", got["a"])
	// e: 30 days (<= 30) -> 4; 3 -> 3; 300.00 -> 3.
	assert.Equal(t, "433", got["e"])
	// h: 200 days -> 1; 1 -> 1; 20.00 -> 1.
	assert.Equal(t, "111", got["h"])
	// g: 90 days -> 3; 6 -> 4; 800.00 -> 4.
	assert.Equal(t, "344", got["g"])
}

func TestRFMConfigValidateReportsAll(t *testing.T) {
	cfg := &segment.RFMConfig{Bins: 4, Method: segment.ByThresholds, Thresholds: &segment.Thresholds{
		RecencyDays: []int64{30, 7},
		Frequency:   []int64{1, 2, 3, 4},
		Monetary:    []decimal.Decimal{dec("1.001")},
	}}
	err := cfg.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"rfm.map.bins", "rfm.thresholds.recencyDays: has 2 cut-offs, want 3", "recencyDays[1]",
		"rfm.thresholds.frequency: has 4", "monetary[0]",
	} {
		assert.Contains(t, err.Error(), want)
	}
	assert.ErrorIs(t, (&segment.RFMConfig{Method: "magic"}).Validate(), segment.ErrInvalid)
	assert.NoError(t, (*segment.RFMConfig)(nil).Validate())
}

// TestScoreRFMEqualInputsEqualScores: customers with equal R, F and M
// get equal scores and segments, whatever their position.
func TestScoreRFMEqualInputsEqualScores(t *testing.T) {
	var sums []segment.Summary
	for i := range 200 {
		sums = append(sums, segment.Summary{CustomerID: string(rune('A' + i%50)), Last: daysAgo(i % 7 * 10), Purchases: int64(1 + i%3), Monetary: int64(1000 * (i % 4))})
	}
	rep, err := segment.ScoreRFM(sums, asOf, nil)
	require.NoError(t, err)
	for i := range sums {
		for j := range sums {
			if sums[i].Last == sums[j].Last && sums[i].Purchases == sums[j].Purchases && sums[i].Monetary == sums[j].Monetary {
				require.Equal(t, rep.Results[i].Score, rep.Results[j].Score)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
