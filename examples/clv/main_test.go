package main

import (
	"bytes"
	"context"
	"regexp"
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
	require.NoError(t, run(context.Background(), &out, ""))
	got := out.String()
	rows := regexp.MustCompile(`(?m)^  (r|alpha|a|b|LL|p|q|v) +(\S+) +(\S+)$`).FindAllStringSubmatch(got, -1)
	require.Len(t, rows, 8, got)
	for _, row := range rows {
		assert.Equal(t, row[3], row[2], "%s: fitted %s, published %s", row[1], row[2], row[3])
	}
	assert.Contains(t, got, "2357 customers")
	assert.Contains(t, got, "946 repeat buyers")
	assert.Contains(t, got, "converged true")
}
