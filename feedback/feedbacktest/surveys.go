package feedbacktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

func surveyRules() []rule {
	return []rule{
		{"CreateSurvey", "RoundTripsEveryField", surveyRoundTrip},
		{"CreateSurvey", "DuplicateIDIsAlreadyExists", surveyDuplicate},
		{"GetSurvey", "MissingIsNotFound", surveyMissing},
		{"UpdateSurvey", "CompareAndSetOnVersion", surveyUpdate},
		{"Surveys", "AllInIDOrder", surveysInOrder},
	}
}

func surveyRoundTrip(t *testing.T, s feedback.Store) {
	sv := newSurvey("s-1")
	require.NoError(t, s.CreateSurvey(t.Context(), sv))
	got, err := s.GetSurvey(t.Context(), "s-1")
	require.NoError(t, err)
	assertSurvey(t, sv, got)
}

func surveyDuplicate(t *testing.T, s feedback.Store) {
	require.NoError(t, s.CreateSurvey(t.Context(), newSurvey("s-1")))
	other := newSurvey("s-1")
	other.Name = "other"
	require.ErrorIs(t, s.CreateSurvey(t.Context(), other), feedback.ErrAlreadyExists)
	got, err := s.GetSurvey(t.Context(), "s-1")
	require.NoError(t, err)
	assert.Equal(t, "survey s-1", got.Name)
}

func surveyMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetSurvey(t.Context(), "nope")
	require.ErrorIs(t, err, feedback.ErrNotFound)
}

func surveyUpdate(t *testing.T, s feedback.Store) {
	sv := newSurvey("s-1")
	missing := sv
	missing.ID, missing.Version = "s-9", 2
	require.ErrorIs(t, s.UpdateSurvey(t.Context(), missing), feedback.ErrNotFound)
	require.NoError(t, s.CreateSurvey(t.Context(), sv))
	sv.Version, sv.Active = 2, false
	require.NoError(t, s.UpdateSurvey(t.Context(), sv))
	stale := newSurvey("s-1")
	stale.Version = 2
	require.ErrorIs(t, s.UpdateSurvey(t.Context(), stale), feedback.ErrConflict)
	got, err := s.GetSurvey(t.Context(), "s-1")
	require.NoError(t, err)
	assertSurvey(t, sv, got)
}

func surveysInOrder(t *testing.T, s feedback.Store) {
	for _, id := range []string{"s-b", "s-a", "s-c"} {
		require.NoError(t, s.CreateSurvey(t.Context(), newSurvey(id)))
	}
	got := kit.Collect(t, s.Surveys(t.Context()))
	assert.Equal(t, []string{"s-a", "s-b", "s-c"}, ids(got, func(sv feedback.Survey) string { return sv.ID }))
}

func responseRules() []rule {
	return []rule{
		{"AddResponse", "RoundTripsEveryFieldAndTheHash", responseRoundTrip},
		{"AddResponse", "DuplicateIDIsAlreadyExistsAndWritesNothing", responseDuplicate},
		{"GetResponse", "MissingIsNotFound", responseMissing},
		{"ResponsesBetween", "HalfOpenRangeOldestFirstTiesByID", responsesBetween},
		{"ResponsesBetween", "StreamsPastOneChunk", responsesMany},
		{"ResponsesOf", "NewestFirstAnonymousNever", responsesOf},
	}
}

func responseRoundTrip(t *testing.T, s feedback.Store) {
	r := newResponse("r-1", "cust-1", at(0))
	require.NoError(t, s.AddResponse(t.Context(), r))
	got, err := s.GetResponse(t.Context(), "r-1")
	require.NoError(t, err)
	assert.Equal(t, r.Hash, got.Hash)
	assertResponse(t, r.Response, got.Response)
}

func responseDuplicate(t *testing.T, s feedback.Store) {
	require.NoError(t, s.AddResponse(t.Context(), newResponse("r-1", "cust-1", at(0))))
	other := newResponse("r-1", "cust-2", at(time.Hour))
	other.Hash = "other"
	require.ErrorIs(t, s.AddResponse(t.Context(), other), feedback.ErrAlreadyExists)
	got, err := s.GetResponse(t.Context(), "r-1")
	require.NoError(t, err)
	assert.Equal(t, "hash-r-1", got.Hash)
	assert.Empty(t, kit.Collect(t, s.ResponsesOf(t.Context(), "cust-2")))
	assert.Len(t, kit.Collect(t, s.ResponsesBetween(t.Context(), at(-time.Hour), at(2*time.Hour))), 1)
}

func responseMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetResponse(t.Context(), "nope")
	require.ErrorIs(t, err, feedback.ErrNotFound)
}

func responsesBetween(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"r-a": 0, "r-c": time.Hour, "r-b": time.Hour, "r-d": 2 * time.Hour, "r-e": -time.Microsecond} {
		require.NoError(t, s.AddResponse(t.Context(), newResponse(id, "", at(d))))
	}
	got := kit.Collect(t, s.ResponsesBetween(t.Context(), at(0), at(2*time.Hour)))
	assert.Equal(t, []string{"r-a", "r-b", "r-c"}, responseIDs(got))
}

func responsesMany(t *testing.T, s feedback.Store) {
	const n = 1000 // more than any sensible page
	for i := range n {
		require.NoError(t, s.AddResponse(t.Context(), newResponse(idOf("r", i), "", at(time.Duration(i%97)*time.Second))))
	}
	got := kit.Collect(t, s.ResponsesBetween(t.Context(), at(0), at(time.Hour)))
	require.Len(t, got, n)
	for i := 1; i < n; i++ {
		prev, cur := got[i-1], got[i]
		require.True(t, prev.Time.Before(cur.Time) || (prev.Time.Equal(cur.Time) && prev.ID < cur.ID), "out of order at %d", i)
	}
}

func responsesOf(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"r-a": 0, "r-c": time.Hour, "r-b": time.Hour} {
		require.NoError(t, s.AddResponse(t.Context(), newResponse(id, "cust-1", at(d))))
	}
	require.NoError(t, s.AddResponse(t.Context(), newResponse("r-anon", "", at(0))))
	assert.Equal(t, []string{"r-c", "r-b", "r-a"}, responseIDs(kit.Collect(t, s.ResponsesOf(t.Context(), "cust-1"))))
	assert.Empty(t, kit.Collect(t, s.ResponsesOf(t.Context(), "")), "anonymous responses belong to nobody")
}

func invitationRules() []rule {
	return []rule{
		{"GetInvitationLog", "MissingIsNotFound", logMissing},
		{"SaveInvitationLog", "VersionOneCreatesOnce", logCreate},
		{"SaveInvitationLog", "CompareAndSetOnVersion", logUpdate},
	}
}

func logMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetInvitationLog(t.Context(), "cust-1")
	require.ErrorIs(t, err, feedback.ErrNotFound)
}

func logCreate(t *testing.T, s feedback.Store) {
	l := newLog("cust-1", 1, 2)
	require.NoError(t, s.SaveInvitationLog(t.Context(), l))
	got, err := s.GetInvitationLog(t.Context(), "cust-1")
	require.NoError(t, err)
	assertLog(t, l, got)
	require.ErrorIs(t, s.SaveInvitationLog(t.Context(), newLog("cust-1", 1, 0)), feedback.ErrConflict)
	got, err = s.GetInvitationLog(t.Context(), "cust-1")
	require.NoError(t, err)
	assertLog(t, l, got)
}

func logUpdate(t *testing.T, s feedback.Store) {
	require.ErrorIs(t, s.SaveInvitationLog(t.Context(), newLog("cust-1", 2, 1)), feedback.ErrConflict, "no log to update")
	require.NoError(t, s.SaveInvitationLog(t.Context(), newLog("cust-1", 1, 1)))
	require.ErrorIs(t, s.SaveInvitationLog(t.Context(), newLog("cust-1", 3, 3)), feedback.ErrConflict, "a skipped version")
	l := newLog("cust-1", 2, 3)
	require.NoError(t, s.SaveInvitationLog(t.Context(), l))
	require.ErrorIs(t, s.SaveInvitationLog(t.Context(), newLog("cust-1", 2, 4)), feedback.ErrConflict, "a stale version")
	got, err := s.GetInvitationLog(t.Context(), "cust-1")
	require.NoError(t, err)
	assertLog(t, l, got)
}
