package segment_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/segment"
)

// fieldPaths lists the fields of every *segment.FieldError in an error
// tree.
func fieldPaths(err error) []string {
	var out []string
	for _, fe := range errtree.All[*segment.FieldError](err) {
		out = append(out, fe.Field)
	}
	return out
}

// Issue 21: a duplicate segment name does not stop the coverage check.
func TestSegmentMapDuplicateNameStillChecksCoverage(t *testing.T) {
	m := segment.SegmentMap{Version: 1, Name: "two", Bins: 2, Axes: segment.AxesRF, Segments: []segment.SegmentDef{
		{Name: "a", Cells: []segment.Cell{{R: segment.Range{1, 1}, F: segment.Range{1, 2}}}},
		{Name: "a", Cells: []segment.Cell{{R: segment.Range{1, 2}, F: segment.Range{2, 2}}}},
	}}
	err := m.Validate()
	require.ErrorIs(t, err, segment.ErrInvalid)
	assert.Contains(t, err.Error(), `duplicate segment "a"`)
	assert.Contains(t, err.Error(), "cell r=1 f=2 covered by a and a")
	assert.Contains(t, err.Error(), "cell r=2 f=1 covered by no segment")
	assert.Equal(t, []string{"segmentMap.segments[1].name", "segmentMap.segments", "segmentMap.segments"}, fieldPaths(err))
}

// Issue 21: a wrong HighPercent is one problem; MediumPercent is only
// measured against a sound one.
func TestValueClassesReportOnlyTheWrongShare(t *testing.T) {
	_, err := segment.ValueClasses(nil, &segment.ValueConfig{HighPercent: 120})
	require.ErrorIs(t, err, segment.ErrInvalid)
	assert.Equal(t, []string{"value.highPercent"}, fieldPaths(err))

	_, err = segment.ValueClasses(nil, &segment.ValueConfig{HighPercent: 90, MediumPercent: 20})
	assert.Equal(t, []string{"value.mediumPercent"}, fieldPaths(err))
	_, err = segment.ValueClasses(nil, &segment.ValueConfig{HighPercent: 120, MediumPercent: -1})
	assert.Equal(t, []string{"value.highPercent", "value.mediumPercent"}, fieldPaths(err))
}

// Issue 21: an amount finer than the currency, deep in a rule, is named
// by its full path, and both bounds are reported.
func TestCompileNamesTheLeafPath(t *testing.T) {
	mustDec := decimal.RequireFromString
	max := mustDec("100.005")
	r := segment.Rule{Version: 1, Root: segment.AllOf(
		segment.Purchases{Min: 1},
		segment.Spent{Min: mustDec("10.001"), Max: &max},
		segment.NotOf(segment.Spent{Min: mustDec("0.5")}),
		segment.AnyOf(segment.Tier{In: []string{"gold"}}, segment.Spent{Min: mustDec("1.234")}),
	)}
	_, err := r.Compile(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), &segment.EvalOptions{Currency: "JPY"})
	require.ErrorIs(t, err, segment.ErrInvalid)
	assert.Equal(t, []string{
		"rule.and[1].spent.min", "rule.and[1].spent.max", "rule.and[2].not.spent.min", "rule.and[3].or[1].spent.min",
	}, fieldPaths(err))
}

// Issue 21: a key given twice is refused, wherever it is.
func TestParseRuleRefusesDuplicateKeys(t *testing.T) {
	for doc, want := range map[string][]string{
		`{"version":1,"rule":{"and":[{"purchases":{"min":1}},{"spent":{"min":"10","min":"1000"}}]}}`: {"rule.and[1].spent.min"},
		`{"version":1,"version":1,"rule":{"purchases":{"min":1}}}`:                                   {"version"},
		`{"version":1,"rule":{"purchases":{"min":1},"purchases":{"min":2}}}`:                         {"rule.purchases"},
	} {
		_, err := segment.ParseRule([]byte(doc))
		require.ErrorIs(t, err, segment.ErrInvalid, doc)
		assert.Equal(t, want, fieldPaths(err), doc)
	}
	_, err := segment.ParseRule([]byte(`{"version":1,"rule":{"and":[{"purchases":{"min":1}},{"spent":{"min":"10"}}]}}`))
	require.NoError(t, err)
}
