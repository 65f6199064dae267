package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReproducesThePapers runs the example on the CDNOW sample and checks
// that every fitted estimate prints the same as the published one.
func TestReproducesThePapers(t *testing.T) {
	if _, err := findData(""); err != nil {
		t.Skip("CDNOW data not beside the repository: ", err)
	}
	var out bytes.Buffer
	svgDir := t.TempDir()
	require.NoError(t, run(context.Background(), &out, "", svgDir))
	got := out.String()
	rows := regexp.MustCompile(`(?m)^  (r|alpha|a|b|LL|p|q|v) +(\S+) +(\S+)$`).FindAllStringSubmatch(got, -1)
	require.Len(t, rows, 8, got)
	for _, row := range rows {
		assert.Equal(t, row[3], row[2], "%s: fitted %s, published %s", row[1], row[2], row[3])
	}
	assert.Contains(t, got, "2357 customers")
	assert.Contains(t, got, "946 repeat buyers")
	assert.Contains(t, got, "converged true")

	// Pareto/NBD on the summaries of the raw sample prints as published
	// (on the published summary file, whose times are rounded to two
	// decimals, β comes out 11.668; metrics/clv tests that).
	pnbd := regexp.MustCompile(`(?m)^  pnbd (r|alpha|s|beta|LL) +(\S+) +(\S+)$`).FindAllStringSubmatch(got, -1)
	require.Len(t, pnbd, 5, got)
	for _, row := range pnbd {
		assert.Equal(t, row[3], row[2], "Pareto/NBD %s", row[1])
	}
	assert.Contains(t, got, "actual holdout purchases: 1882")
	for _, name := range []string{"tracking_en.svg", "tracking_zh.svg", "conditional_en.svg", "conditional_zh.svg"} {
		b, err := os.ReadFile(filepath.Join(svgDir, name))
		require.NoError(t, err)
		assert.Contains(t, string(b), "<polyline", name)
		assert.Equal(t, 4, strings.Count(string(b), "<polyline"), "actual and three models in %s", name)
	}
	zh, err := os.ReadFile(filepath.Join(svgDir, "tracking_zh.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(zh), "累计重复购买次数")
}
