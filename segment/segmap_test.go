package segment_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPresetsCoverEachCellOnce walks every cell of every shipped map and
// checks that exactly one segment covers it.
func TestPresetsCoverEachCellOnce(t *testing.T) {
	for _, name := range segment.Presets() {
		t.Run(name, func(t *testing.T) {
			m, err := segment.Preset(name)
			require.NoError(t, err)
			require.NoError(t, m.Validate())
			counts := map[string]int{}
			for r := 1; r <= m.Bins; r++ {
				for f := 1; f <= m.Bins; f++ {
					for mon := 1; mon <= m.Bins; mon++ {
						owners := 0
						for _, s := range m.Segments {
							if covers(m, s, r, f, mon) {
								owners++
							}
						}
						require.Equal(t, 1, owners, "cell r=%d f=%d m=%d", r, f, mon)
						seg, ok := m.Segment(r, f, mon)
						require.True(t, ok)
						counts[seg]++
					}
				}
			}
			assert.Len(t, counts, len(m.Segments), "every segment reachable")
		})
	}
}

// covers re-implements cell membership independently of the package.
func covers(m segment.SegmentMap, s segment.SegmentDef, r, f, mon int) bool {
	in := func(rg segment.Range, v int) bool { return v >= rg[0] && v <= rg[1] }
	for _, c := range s.Cells {
		switch m.Axes {
		case segment.AxesRF:
			if in(c.R, r) && in(c.F, f) {
				return true
			}
		case segment.AxesRFMAvg:
			if in(c.R, r) && in(c.FM, (f+mon+1)/2) {
				return true
			}
		default:
			if in(c.R, r) && in(c.F, f) && in(c.M, mon) {
				return true
			}
		}
	}
	return false
}

func TestPresetSegmentsHandChecked(t *testing.T) {
	rfm11, rf10 := segment.RFM11(), segment.RF10()
	tests := []struct {
		sm        segment.SegmentMap
		r, f, mon int
		want      string
	}{
		{rfm11, 5, 5, 5, segment.SegChampions},
		{rfm11, 5, 1, 1, segment.SegNew},
		{rfm11, 1, 1, 1, segment.SegLost},
		{rfm11, 1, 5, 4, segment.SegCannotLose}, // FM = (5+4+1)/2 = 5
		{rfm11, 2, 3, 2, segment.SegAtRisk},     // FM = 3
		{rfm11, 3, 1, 2, segment.SegNeedAttention},
		{rfm11, 4, 3, 3, segment.SegLoyal},
		{rf10, 5, 1, 5, segment.SegNew}, // M ignored
		{rf10, 1, 5, 1, segment.SegCannotLose},
		{rf10, 3, 3, 3, segment.SegNeedAttention},
		{rf10, 2, 2, 5, segment.SegHibernating},
	}
	for _, tt := range tests {
		got, ok := tt.sm.Segment(tt.r, tt.f, tt.mon)
		require.True(t, ok)
		assert.Equal(t, tt.want, got, "%s %d%d%d", tt.sm.Name, tt.r, tt.f, tt.mon)
	}
	_, ok := rfm11.Segment(0, 1, 1)
	assert.False(t, ok)
}

func TestSegmentMapValidateReportsEveryCell(t *testing.T) {
	m := segment.SegmentMap{Version: 1, Name: "bad", Bins: 2, Axes: segment.AxesRF, Segments: []segment.SegmentDef{
		{Name: "a", Cells: []segment.Cell{{R: segment.Range{1, 2}, F: segment.Range{1, 1}}}},
		{Name: "b", Cells: []segment.Cell{{R: segment.Range{2, 2}, F: segment.Range{1, 1}}}},
	}}
	err := m.Validate()
	require.Error(t, err)
	assert.True(t, errors.Is(err, segment.ErrInvalid))
	msg := err.Error()
	assert.Contains(t, msg, "cell r=2 f=1 covered by a and b")
	assert.Contains(t, msg, "cell r=1 f=2 covered by no segment")
	assert.Contains(t, msg, "cell r=2 f=2 covered by no segment")
	assert.Equal(t, 3, strings.Count(msg, "\n")+1)
}

func TestSegmentMapValidateFields(t *testing.T) {
	m := segment.SegmentMap{Version: 2, Bins: 12, Axes: "xyz", Segments: []segment.SegmentDef{
		{Name: "", Cells: nil},
		{Name: "x", Cells: []segment.Cell{{R: segment.Range{3, 1}, M: segment.Range{1, 1}}}},
		{Name: "x", Cells: []segment.Cell{{R: segment.Range{1, 1}}}},
	}}
	err := m.Validate()
	require.Error(t, err)
	for _, want := range []string{
		"segmentMap.version", "segmentMap.bins", "segmentMap.axes",
		"segments[0].name: empty", "segments[0].cells: empty", "segments[2].name: duplicate",
		"segments[1].cells[0].r: range [3,1]",
	} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestLoadSegmentMapStrict(t *testing.T) {
	good, err := json.Marshal(segment.RF10())
	require.NoError(t, err)
	m, err := segment.LoadSegmentMap(strings.NewReader(string(good)))
	require.NoError(t, err)
	assert.Equal(t, segment.RF10(), m, "round trip")

	_, err = segment.LoadSegmentMap(strings.NewReader(`{"version":1,"name":"x","bins":5,"axes":"rf","segments":[],"colour":"red"}`))
	assert.ErrorIs(t, err, segment.ErrInvalid)
	assert.Contains(t, err.Error(), "colour")

	_, err = segment.LoadSegmentMap(strings.NewReader(`{"version":1,"name":"x","bins":2,"axes":"rf","segments":[{"name":"all","cells":[{"r":[1,2],"f":[1,2]}]}]} {}`))
	assert.ErrorIs(t, err, segment.ErrInvalid)

	_, err = segment.Preset("nope")
	assert.ErrorIs(t, err, segment.ErrInvalid)
}
