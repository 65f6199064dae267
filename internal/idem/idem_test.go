package idem

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type req struct {
	ID     string
	Amount decimal.Decimal
	At     time.Time
}

func TestHash(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a, err := Hash(req{"x", decimal.RequireFromString("1.50"), at})
	require.NoError(t, err)
	b, err := Hash(req{"x", decimal.RequireFromString("1.5"), at})
	require.NoError(t, err)
	assert.Equal(t, a, b, "equal decimals hash alike")
	c, err := Hash(req{"x", decimal.RequireFromString("1.51"), at})
	require.NoError(t, err)
	assert.NotEqual(t, a, c)
	_, err = Hash(req{"x", decimal.Zero, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorIs(t, err, ErrUnhashable)
}

func ExampleHash() {
	h, _ := Hash(map[string]int{"points": 120})
	fmt.Println(len(h), "hex digits")
	// Output: 64 hex digits
}
