package kit

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Collect drains seq and fails the test if it yields an error.
func Collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// RequireEarlyBreak breaks out of seq after its first value and requires
// that the loop body saw exactly that one value, without an error, and
// that seq did not call yield again: an iterator that ignores the break
// makes the range statement panic, which is caught and reported here. The
// caller then checks the store is still usable, since an iterator that
// kept a lock or a connection shows only in the reads and writes after it.
func RequireEarlyBreak[T any](t *testing.T, seq iter.Seq2[T, error]) {
	t.Helper()
	n, panicked, err := firstOnly(seq)
	require.Nil(t, panicked, "the iterator called yield after the loop broke off")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}

// RequireCancelledBefore reads the iterator seq returns for an already
// cancelled context to its end, and requires that it ends with an error
// matching context.Canceled, after no other error.
func RequireCancelledBefore[T any](t *testing.T, seq func(ctx context.Context) iter.Seq2[T, error]) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	requireCanceledLast(t, drain(seq(ctx), func(int) {}))
}

// RequireCancelledMidway cancels the context after the iterator's first
// value, reads on to its end, and requires a first value without error
// and a last step matching context.Canceled, after no other error. It
// needs an iterator with at least two values, so the cancel falls between
// them.
func RequireCancelledMidway[T any](t *testing.T, seq func(ctx context.Context) iter.Seq2[T, error]) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	steps := drain(seq(ctx), func(n int) {
		if n == 1 {
			cancel()
		}
	})
	require.NotEmpty(t, steps, "the iterator yielded nothing, not even the context's error")
	require.NoError(t, steps[0].err, "the first step, before the cancel")
	requireCanceledLast(t, steps)
}

// firstOnly breaks out of seq after its first step and reports how many
// steps the loop body saw, the panic (the range statement's own) of an
// iterator that ignored the break, and the first step's error.
func firstOnly[T any](seq iter.Seq2[T, error]) (n int, panicked any, err error) {
	defer func() { panicked = recover() }()
	for _, e := range seq {
		n, err = n+1, e
		break
	}
	return n, nil, err
}

// step is one value or error an iterator yielded.
type step[T any] struct {
	v   T
	err error
}

// drain reads seq to its end without breaking, calling after on every
// step with the number of steps so far.
func drain[T any](seq iter.Seq2[T, error], after func(n int)) []step[T] {
	var steps []step[T]
	for v, err := range seq {
		steps = append(steps, step[T]{v, err})
		after(len(steps))
	}
	return steps
}

// requireCanceledLast requires that the iterator's one error is its last
// step and matches context.Canceled.
func requireCanceledLast[T any](t *testing.T, steps []step[T]) {
	t.Helper()
	require.NotEmpty(t, steps, "the iterator yielded nothing, not even the context's error")
	last := steps[len(steps)-1]
	require.ErrorIs(t, last.err, context.Canceled, "the last step of a cancelled iteration")
	for i, st := range steps[:len(steps)-1] {
		require.NoErrorf(t, st.err, "step %d: an error is only ever the last step", i)
	}
}
