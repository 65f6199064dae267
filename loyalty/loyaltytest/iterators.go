package loyaltytest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listing is one of the store's iterators, reduced to the IDs it yields,
// over the three records seedListings gives it.
type listing struct {
	name string
	seq  func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error]
}

// idsOf maps an iterator to the IDs of its values, passing a break on.
func idsOf[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if !yield(id(v), err) {
				return
			}
		}
	}
}

var listings = []listing{
	{"Entries", func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return idsOf(s.Entries(ctx, "M00001", 0), func(e ledger.Entry) string { return e.ID })
	}},
	{"Accounts", func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return idsOf(s.Accounts(ctx, ""), func(a loyalty.Account) string { return a.MemberID })
	}},
}

// seedListings gives every listing exactly three values: three accounts,
// the first with three entries.
func seedListings(t *testing.T, s loyalty.Store) {
	t.Helper()
	m := newMember(t, "M00001")
	m.save(t, s, m.next(t, "earn:1", chain(earn("lot-1", 10, at(0)), earn("lot-2", 20, at(time.Second)), earn("lot-3", 30, at(2*time.Second)))))
	createAll(t, s, []string{"M00002", "M00003"})
}

func iteratorRules() []rule {
	var rules []rule
	for _, l := range listings {
		rules = append(rules,
			rule{"Iterators", "EarlyBreakStops/" + l.name, func(t *testing.T, s loyalty.Store) { earlyBreak(t, s, l) }},
			rule{"Iterators", "CancelledContextIsError/" + l.name, func(t *testing.T, s loyalty.Store) { cancelledBefore(t, s, l) }},
			rule{"Iterators", "CancelMidwayIsError/" + l.name, func(t *testing.T, s loyalty.Store) { cancelledMidway(t, s, l) }},
		)
	}
	return rules
}

// earlyBreak breaks out after the first value. An iterator that called
// yield again would make the range statement panic; one that kept a lock
// or a connection would make the full read and the write that follow
// hang or fail.
func earlyBreak(t *testing.T, s loyalty.Store, l listing) {
	seedListings(t, s)
	ctx := t.Context()
	n, panicked, err := firstOnly(l.seq(ctx, s))
	require.Nil(t, panicked, "the iterator called yield after the loop broke off")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Len(t, collect(t, l.seq(ctx, s)), 3, "the store is usable after an early break")
	m, w := simpleWrite(t, "M00004", 1)
	m.save(t, s, w)
}

// firstOnly breaks out of seq after its first step and reports how many
// steps the loop body saw, the panic (the range statement's own) of an
// iterator that ignored the break, and the first step's error.
func firstOnly(seq iter.Seq2[string, error]) (n int, panicked any, err error) {
	defer func() { panicked = recover() }()
	for _, e := range seq {
		n, err = n+1, e
		break
	}
	return n, nil, err
}

// step is one value or error an iterator yielded.
type step struct {
	id  string
	err error
}

// drain reads seq to its end without breaking, calling after on every
// step.
func drain(seq iter.Seq2[string, error], after func(n int)) []step {
	var steps []step
	for id, err := range seq {
		steps = append(steps, step{id, err})
		after(len(steps))
	}
	return steps
}

// requireCanceledLast requires that the iterator's one error is its last
// step and matches context.Canceled.
func requireCanceledLast(t *testing.T, steps []step) {
	t.Helper()
	require.NotEmpty(t, steps, "the iterator yielded nothing, not even the context's error")
	last := steps[len(steps)-1]
	require.ErrorIs(t, last.err, context.Canceled, "the last step of a cancelled iteration")
	for i, st := range steps[:len(steps)-1] {
		require.NoErrorf(t, st.err, "step %d: an error is only ever the last step", i)
	}
}

func cancelledBefore(t *testing.T, s loyalty.Store, l listing) {
	seedListings(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	requireCanceledLast(t, drain(l.seq(ctx, s), func(int) {}))
}

func cancelledMidway(t *testing.T, s loyalty.Store, l listing) {
	seedListings(t, s)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	steps := drain(l.seq(ctx, s), func(n int) {
		if n == 1 {
			cancel()
		}
	})
	require.NotEmpty(t, steps, "the iterator yielded nothing, not even the context's error")
	require.NoError(t, steps[0].err, "the first step, before the cancel")
	requireCanceledLast(t, steps)
}
