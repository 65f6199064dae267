package kit

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Listing is one of a store's iterators, reduced to the IDs it yields, so
// that one set of checks covers iterators of different record types.
type Listing[S any] struct {
	Name string
	Seq  func(ctx context.Context, s S) iter.Seq2[string, error]
}

// IDsOf maps an iterator to the IDs of its values, passing a break on.
func IDsOf[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if !yield(id(v), err) {
				return
			}
		}
	}
}

// Listings are the iterators of one store and what their checks need:
// Seed gives every listing exactly Seeded values (at least two, so a
// cancel can fall between them), and Write is a write that must not wait
// for an iterator the caller abandoned.
type Listings[S any] struct {
	All    []Listing[S]
	Seed   func(t *testing.T, s S)
	Seeded int
	Write  func(t *testing.T, s S)
}

// Rules returns three rules per listing, in the group "Iterators":
// EarlyBreakStops/<name>, CancelledContextIsError/<name> and
// CancelMidwayIsError/<name>.
func (ls Listings[S]) Rules() []Rule[S] {
	var rules []Rule[S]
	for _, l := range ls.All {
		rules = append(rules,
			Rule[S]{"Iterators", "EarlyBreakStops/" + l.Name, func(t *testing.T, s S) { ls.earlyBreak(t, s, l) }},
			Rule[S]{"Iterators", "CancelledContextIsError/" + l.Name, func(t *testing.T, s S) {
				ls.Seed(t, s)
				RequireCancelledBefore(t, l.bind(s))
			}},
			Rule[S]{"Iterators", "CancelMidwayIsError/" + l.Name, func(t *testing.T, s S) {
				ls.Seed(t, s)
				RequireCancelledMidway(t, l.bind(s))
			}},
		)
	}
	return rules
}

// earlyBreak breaks out after the first value. An iterator that called
// yield again would make the range statement panic; one that kept a lock
// or a connection would make the full read and the write that follow
// hang or fail.
func (ls Listings[S]) earlyBreak(t *testing.T, s S, l Listing[S]) {
	ls.Seed(t, s)
	ctx := t.Context()
	RequireEarlyBreak(t, l.Seq(ctx, s))
	assert.Len(t, Collect(t, l.Seq(ctx, s)), ls.Seeded, "the store is usable after an early break")
	ls.Write(t, s)
}

// bind fixes the listing's store, leaving the context to the check.
func (l Listing[S]) bind(s S) func(context.Context) iter.Seq2[string, error] {
	return func(ctx context.Context) iter.Seq2[string, error] { return l.Seq(ctx, s) }
}
