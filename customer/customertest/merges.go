package customertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mergeRules() []rule {
	return []rule{
		{"AddMerge", "RoundTrips", mergeRoundTrips},
		{"AddMerge", "SecondMergeOfDuplicateIsAlreadyExists", mergeTwice},
		{"AddMerge", "NextAttemptOnlyAfterAbandoned", mergeNextAttempt},
		{"AddMerge", "AttemptsAreNumberedInTurn", mergeNumbering},
		{"AddMerge", "ConcurrentNextAttemptsOneWins", raceNextAttempt},
		{"GetMerge", "MissingIsNotFound", mergeMissing},
		{"AbandonMerge", "FirstAbandonmentStays", abandonOnce},
		{"AbandonMerge", "MissingIsNotFound", abandonMissing},
		{"MergeAttempts", "EveryAttemptOldestFirst", mergeAttempts},
	}
}

// attempt returns the merge record of the given attempt.
func attempt(survivor, duplicate string, n int) customer.MergeRecord {
	m := newMerge(survivor, duplicate)
	m.Attempt = n
	m.At = m.At.Add(time.Duration(n) * time.Minute)
	return m
}

// abandoned returns m as AbandonMerge leaves it.
func abandoned(m customer.MergeRecord, at time.Time) customer.MergeRecord {
	m.AbandonedAt = at
	return m
}

func mergeRoundTrips(t *testing.T, s customer.Store) {
	ctx := t.Context()
	want := newMerge("c-1", "c-2")
	require.NoError(t, s.AddMerge(ctx, want))
	got, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assertMerge(t, want, got)
	assert.False(t, got.Abandoned(), "a new record is not abandoned")
}

func mergeTwice(t *testing.T, s customer.Store) {
	ctx := t.Context()
	first := newMerge("c-1", "c-2")
	require.NoError(t, s.AddMerge(ctx, first))
	second := newMerge("c-3", "c-2")
	second.Actor, second.Identities = "staff-9", 5
	require.ErrorIs(t, s.AddMerge(ctx, first), customer.ErrAlreadyExists, "replaying the same merge record")
	require.ErrorIs(t, s.AddMerge(ctx, second), customer.ErrAlreadyExists)
	// A later attempt number does not get round a record still in force.
	require.ErrorIs(t, s.AddMerge(ctx, attempt("c-3", "c-2", 2)), customer.ErrAlreadyExists,
		"a second attempt while the first is not abandoned")

	got, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assertMerge(t, first, got)
	attempts, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	require.Len(t, attempts, 1, "a refused add wrote a record")

	// The survivor of one merge may itself be merged later.
	require.NoError(t, s.AddMerge(ctx, newMerge("c-3", "c-1")))
}

// mergeNextAttempt abandons an attempt and adds the next one, towards
// another survivor: the new record is the latest, and the abandoned one
// stays in the audit trail as it was.
func mergeNextAttempt(t *testing.T, s customer.Store) {
	ctx := t.Context()
	first := attempt("c-1", "c-2", 1)
	require.NoError(t, s.AddMerge(ctx, first))
	lostAt := at(2 * time.Hour).In(newYork)
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 1, lostAt))

	next := attempt("c-3", "c-2", 2)
	next.Actor, next.Reason, next.Identities = "dedupe-job", "", 3
	require.NoError(t, s.AddMerge(ctx, next))
	got, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assertMerge(t, next, got)

	attempts, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	require.Len(t, attempts, 2)
	assertMerge(t, abandoned(first, lostAt), attempts[0])
	assertMerge(t, next, attempts[1])

	// The new attempt is in force again: no third one until it is abandoned.
	require.ErrorIs(t, s.AddMerge(ctx, attempt("c-4", "c-2", 3)), customer.ErrAlreadyExists)
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 2, lostAt.Add(time.Hour)))
	require.NoError(t, s.AddMerge(ctx, attempt("c-4", "c-2", 3)))
}

// mergeNumbering checks that attempts follow each other: reusing a
// number is ErrAlreadyExists, skipping one is ErrConflict.
func mergeNumbering(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.ErrorIs(t, s.AddMerge(ctx, attempt("c-1", "c-2", 2)), customer.ErrConflict, "a first attempt numbered 2")
	_, err := s.GetMerge(ctx, "c-2")
	mustNotFind(t, err, "the record of a refused first attempt")

	require.NoError(t, s.AddMerge(ctx, attempt("c-1", "c-2", 1)))
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 1, at(time.Hour)))
	require.ErrorIs(t, s.AddMerge(ctx, attempt("c-3", "c-2", 1)), customer.ErrAlreadyExists, "reusing attempt 1")
	require.ErrorIs(t, s.AddMerge(ctx, attempt("c-3", "c-2", 3)), customer.ErrConflict, "skipping attempt 2")
	attempts, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	require.Len(t, attempts, 1, "a refused add wrote a record")
	assertMerge(t, abandoned(attempt("c-1", "c-2", 1), at(time.Hour)), attempts[0])
	require.NoError(t, s.AddMerge(ctx, attempt("c-3", "c-2", 2)))
}

// raceNextAttempt has many callers add the attempt after an abandoned one,
// each towards a survivor of its own: one record may be in force.
func raceNextAttempt(t *testing.T, s customer.Store) {
	ctx := t.Context()
	first := attempt("c-1", "c-2", 1)
	require.NoError(t, s.AddMerge(ctx, first))
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 1, at(time.Hour)))

	// Half name the next attempt, half the one after it, which a store
	// checking only for a reused number would also let in.
	tries := make([]customer.MergeRecord, racers)
	for i := range tries {
		tries[i] = attempt(fmt.Sprintf("s-%02d", i), "c-2", 2+i%2)
	}
	errs := kit.Race(racers, func(i int) error { return s.AddMerge(ctx, tries[i]) })
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equalf(t, -1, winner, "both goroutine %d and goroutine %d added an attempt", winner, i)
			winner = i
		}
	}
	require.NotEqual(t, -1, winner, "nobody added the next attempt")
	assert.Equal(t, 2, tries[winner].Attempt, "the attempt after next won")

	got, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assertMerge(t, tries[winner], got)
	attempts, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	require.Len(t, attempts, 2)
	assertMerge(t, abandoned(first, at(time.Hour)), attempts[0])
	assertMerge(t, tries[winner], attempts[1])
}

func mergeMissing(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddMerge(ctx, newMerge("c-1", "c-2")))
	_, err := s.GetMerge(ctx, "c-1")
	mustNotFind(t, err, "the merge record of a survivor that was never merged")
}

func abandonOnce(t *testing.T, s customer.Store) {
	ctx := t.Context()
	m := newMerge("c-1", "c-2")
	require.NoError(t, s.AddMerge(ctx, m))
	require.NoError(t, s.AddMerge(ctx, newMerge("c-1", "c-3")))
	lostAt := at(2 * time.Hour)
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 1, lostAt))
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 1, lostAt.Add(time.Hour)), "abandoning again")

	got, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assert.True(t, got.Abandoned())
	assertMerge(t, abandoned(m, lostAt), got)
	other, err := s.GetMerge(ctx, "c-3")
	require.NoError(t, err)
	assertMerge(t, newMerge("c-1", "c-3"), other)
}

func abandonMissing(t *testing.T, s customer.Store) {
	ctx := t.Context()
	err := s.AbandonMerge(ctx, "c-2", 1, at(0))
	mustNotFind(t, err, "AbandonMerge on an empty store")
	require.NoError(t, s.AddMerge(ctx, newMerge("c-1", "c-2")))
	mustNotFind(t, s.AbandonMerge(ctx, "c-2", 2, at(0)), "AbandonMerge of an attempt never added")
	mustNotFind(t, s.AbandonMerge(ctx, "c-1", 1, at(0)), "AbandonMerge of a customer never merged")
	got, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assertMerge(t, newMerge("c-1", "c-2"), got)
}

func mergeAttempts(t *testing.T, s customer.Store) {
	ctx := t.Context()
	none, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err, "a customer never merged has no attempts, which is no error")
	assert.Empty(t, none)

	var want []customer.MergeRecord
	for n := 1; n <= 3; n++ {
		m := attempt(fmt.Sprintf("c-%d", 10+n), "c-2", n)
		require.NoError(t, s.AddMerge(ctx, m))
		if n < 3 {
			require.NoError(t, s.AbandonMerge(ctx, "c-2", n, at(time.Duration(n)*time.Hour)))
			m = abandoned(m, at(time.Duration(n)*time.Hour))
		}
		want = append(want, m)
	}
	require.NoError(t, s.AddMerge(ctx, newMerge("c-1", "c-3")))
	got, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for i := range want {
		assertMerge(t, want[i], got[i])
	}
	got[0].Survivor = "changed" // the caller owns what it was given
	again, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	assertMerge(t, want[0], again[0])
}
