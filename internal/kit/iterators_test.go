package kit_test

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/kit"
)

// counting yields 1, 2, 3, then the context's error if it is done by the
// time each value is due, as a well-behaved store iterator does.
func counting(ctx context.Context) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := 1; i <= 3; i++ {
			if err := ctx.Err(); err != nil {
				yield(0, err)
				return
			}
			if !yield(i, nil) {
				return
			}
		}
	}
}

func TestCollectReadsEveryValue(t *testing.T) {
	assert.Equal(t, []int{1, 2, 3}, kit.Collect(t, counting(t.Context())))
}

func TestIteratorChecksPassAWellBehavedIterator(t *testing.T) {
	kit.RequireEarlyBreak(t, counting(t.Context()))
	kit.RequireCancelledBefore(t, counting)
	kit.RequireCancelledMidway(t, counting)
}

// toy is a store for the listing checks' own test: a list of IDs.
type toy struct{ ids []string }

func (s *toy) all(ctx context.Context) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, id := range s.ids {
			if err := ctx.Err(); err != nil {
				yield("", err)
				return
			}
			if !yield(id, nil) {
				return
			}
		}
	}
}

func TestListingsRulesPassAWellBehavedStore(t *testing.T) {
	ls := kit.Listings[*toy]{
		All:    []kit.Listing[*toy]{{Name: "All", Seq: func(ctx context.Context, s *toy) iter.Seq2[string, error] { return s.all(ctx) }}},
		Seed:   func(_ *testing.T, s *toy) { s.ids = []string{"a", "b", "c"} },
		Seeded: 3,
		Write:  func(_ *testing.T, s *toy) { s.ids = append(s.ids, "d") },
	}
	rules := ls.Rules()
	assert.Equal(t, []string{
		"Iterators/EarlyBreakStops/All",
		"Iterators/CancelledContextIsError/All",
		"Iterators/CancelMidwayIsError/All",
	}, kit.Names(rules))
	kit.Run(t, func(*testing.T) *toy { return &toy{} }, rules)
}

func TestIDsOfPassesTheBreakOn(t *testing.T) {
	ids := kit.IDsOf(counting(t.Context()), func(i int) string { return string(rune('a' + i - 1)) })
	kit.RequireEarlyBreak(t, ids)
	assert.Equal(t, []string{"a", "b", "c"}, kit.Collect(t, ids))
}
