package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSmallShop runs the example on the small shop and checks what it
// prints: every customer lands in exactly one lifecycle stage, the RFM
// table covers every scored customer, and the rule segment explains a
// match.
func TestSmallShop(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, shopConfig(false)))
	got := out.String()
	assert.Contains(t, got, "10000 customers, 100000 purchases")

	stages := regexp.MustCompile(`(?m)^  (prospect|new|active|repeat|loyal|at-risk|lapsed|won-back) +(\d+)$`).FindAllStringSubmatch(got, -1)
	require.Len(t, stages, 8)
	total := 0
	for _, s := range stages {
		n, _ := strconv.Atoi(s[2])
		total += n
	}
	assert.Equal(t, 10000, total, "every customer has exactly one stage")

	scored := regexp.MustCompile(`(\d+) scored, (\d+) without purchases`).FindStringSubmatch(got)
	require.NotNil(t, scored)
	rows := regexp.MustCompile(`(?m)^  ([a-z-]+) +(\d+) +\d+ +\d+ d$`).FindAllStringSubmatch(got, -1)
	sum := 0
	for _, r := range rows {
		n, _ := strconv.Atoi(r[2])
		sum += n
	}
	want, _ := strconv.Atoi(scored[1])
	assert.Equal(t, want, sum, "the RFM table covers every scored customer once")

	assert.Regexp(t, `Rule segment "engaged big spenders": \d+ customers`, got)
	assert.Contains(t, got, "[x] all of")

	var again bytes.Buffer
	require.NoError(t, run(context.Background(), &again, shopConfig(false)))
	strip := regexp.MustCompile(`in \S+\n`)
	assert.Equal(t, strip.ReplaceAllString(got, ""), strip.ReplaceAllString(again.String(), ""), "the same seed gives the same shop")
}
