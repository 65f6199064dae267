package loyalty_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A replayed earn returns the recorded result: the same quote, line by
// line and rule by rule, the same entries and the same events.
func TestEarnReplayReturnsTheOriginalResult(t *testing.T) {
	ctx := context.Background()
	s := newShop(t, nil)
	m := s.member(t, "Replay", customer.Birthday{})
	p, first := s.buy(t, "p1", m.ID, at(2026, 3, 2, 10, 0), line("MILK", "dairy", 2, "12.50"), line("TEA-500", "tea", 3, "888.00"),
		line("SOAP", "household", 3, "9.90"))
	require.NotEmpty(t, first.Entries)
	require.NotEmpty(t, first.Events)
	require.NotEmpty(t, first.Quote.Rules)
	again, err := s.loyalty.Earn(ctx, p)
	require.NoError(t, err)
	want, err := json.Marshal(first)
	require.NoError(t, err)
	got, err := json.Marshal(again)
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(got))
	assert.Equal(t, string(want), string(got))
	require.Len(t, again.Entries, len(first.Entries))
	for i := range first.Entries {
		assert.True(t, first.Entries[i].Equal(again.Entries[i]), "entry %d", i)
	}
	for i, l := range first.Quote.Lines {
		assert.Equal(t, l.Points, again.Quote.Lines[i].Points)
		assert.True(t, l.Net().Equal(again.Quote.Lines[i].Net()))
		assert.True(t, l.OrderDiscount().Equal(again.Quote.Lines[i].OrderDiscount()))
	}
	for i, r := range first.Quote.Rules {
		assert.True(t, r.Exact().Equal(again.Quote.Rules[i].Exact()))
		assert.True(t, r.BaseAmount().Equal(again.Quote.Rules[i].BaseAmount()))
		assert.Equal(t, r.Points, again.Quote.Rules[i].Points)
	}
	assert.Equal(t, len(first.Events), len(again.Events))
	assert.Equal(t, first.Tier.Tier, again.Tier.Tier)
}
