package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWalkThrough(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	got := out.String()
	for _, want := range []string{
		"second sign-up flagged: likely C0001 ([name+birthday])",
		"marketing by sms:     false",
		"marketing by wechat:  true",
		"lane 1 replayed SH01-L1-000101 after reconnecting: still 2 orders",
		"a second return of 2 more refused: true",
		"CNY: gross 742.20, refunded 75.60, net 666.60, average order 333.30",
	} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "13800138000", "the demo masks phone numbers")

	var again bytes.Buffer
	require.NoError(t, run(context.Background(), &again))
	assert.Equal(t, got, again.String(), "the walk-through is deterministic")
}
