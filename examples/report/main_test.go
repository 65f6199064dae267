package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// size is the test shop in short mode and the example's own otherwise.
func size() shopSize {
	if testing.Short() {
		return testShop
	}
	return smallShop
}

func render(t *testing.T, size shopSize, lang language.Tag) (text, page string) {
	t.Helper()
	var tb, pb bytes.Buffer
	require.NoError(t, run(context.Background(), &tb, &pb, size, lang))
	return tb.String(), pb.String()
}

// figure returns the current value on the shop table's line for metric.
func figure(t *testing.T, text, metric string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(metric) + ` +(\S+)`).FindStringSubmatch(text)
	require.NotNil(t, m, "no %q line in\n%s", metric, text)
	return m[1]
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	require.NoError(t, err, s)
	return v
}

func TestReport(t *testing.T) {
	text, page := render(t, size(), language.English)

	// The report covers December 2025 against November, for the shop,
	// its eight stores and their staff.
	assert.Contains(t, text, "Period 2025-12-01 to 2026-01-01, compared with 2025-11-01 to 2025-12-01")
	for _, s := range []string{"S000", "S007", "S003-B"} {
		assert.Contains(t, text, "\n  "+s+" ")
	}
	// Key figures are present and plausible: December sells more than
	// November (the generator's seasonality), members keep points, and
	// the liability is positive.
	sales := regexp.MustCompile(`(?m)^  Net sales +(\d+\.\d\d) CNY .* (\d+\.\d\d) CNY +\+`).FindStringSubmatch(text)
	require.NotNil(t, sales, "December's net sales should rise over November's")
	assert.Greater(t, number(t, sales[1]), number(t, sales[2]))
	assert.Greater(t, number(t, figure(t, text, "Active customers")), 0.0)
	for _, rate := range []string{"Repeat purchase rate", "Retention rate", "CSAT", "SLA compliance"} {
		v := number(t, figure(t, text, rate))
		assert.True(t, v > 0 && v <= 100, "%s = %v", rate, v)
	}
	nps := number(t, figure(t, text, "NPS"))
	assert.True(t, nps >= -100 && nps <= 100)
	assert.Greater(t, number(t, figure(t, text, "Points issued")), 0.0)
	assert.Greater(t, number(t, figure(t, text, "Points liability")), 0.0)
	assert.Contains(t, text, "rate estimated as 1 - breakage")
	assert.Contains(t, text, "in business time")
	assert.Contains(t, text, "Tier migration")

	// The page is self-contained, draws its charts in SVG and is
	// well-formed.
	assert.Equal(t, 3, strings.Count(page, "<svg"), "heatmap, trend and tier bars")
	assert.Contains(t, page, "<polyline")
	assert.NotContains(t, page, "<script")
	assert.NotContains(t, page, "<link")
	assert.NotContains(t, page, "src=")
	wellFormed(t, page)
}

func TestReportIsDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates the shop twice")
	}
	a, pa := render(t, testShop, language.English)
	b, pb := render(t, testShop, language.English)
	assert.Equal(t, a, b)
	assert.Equal(t, pa, pb)
}

func TestReportInChinese(t *testing.T) {
	text, page := render(t, testShop, language.SimplifiedChinese)
	assert.Contains(t, text, "客户报告")
	assert.Contains(t, text, "净销售额")
	assert.Contains(t, page, `lang="zh-Hans"`)
	wellFormed(t, page)
}

func wellFormed(t *testing.T, page string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err)
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	assert.Zero(t, depth)
}
