package feedbacktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

func complaintRules() []rule {
	return []rule{
		{"CreateComplaint", "RoundTripsEveryField", complaintRoundTrip},
		{"CreateComplaint", "DuplicateIDIsAlreadyExistsAndWritesNothing", complaintDuplicate},
		{"GetComplaint", "MissingIsNotFound", complaintMissing},
		{"UpdateComplaint", "NextVersionReplaces", complaintUpdate},
		{"UpdateComplaint", "StaleOrSkippedVersionIsConflict", complaintStale},
		{"UpdateComplaint", "MissingIsNotFound", complaintUpdateMissing},
		{"OpenComplaints", "OnlyOpenStatusesInIDOrder", openComplaints},
		{"ComplaintsBetween", "HalfOpenRangeOldestFirstTiesByID", complaintsBetween},
		{"ComplaintsOf", "NewestFirstTiesByIDDescending", complaintsOf},
	}
}

func complaintRoundTrip(t *testing.T, s feedback.Store) {
	c := newComplaint("c-1", "cust-1", at(0))
	require.NoError(t, s.CreateComplaint(t.Context(), c))
	got, err := s.GetComplaint(t.Context(), "c-1")
	require.NoError(t, err)
	assertComplaint(t, c, got)

	// Zero times stay zero; a waiting complaint keeps its open pause.
	w := newComplaint("c-2", "", at(time.Hour))
	w.WaitingOnCustomer, w.ResolutionDue, w.DueAt, w.FirstResponseAt = true, time.Time{}, time.Time{}, time.Time{}
	w.Pauses = append(w.Pauses, feedback.Interval{Start: at(3 * time.Hour)})
	require.NoError(t, s.CreateComplaint(t.Context(), w))
	got, err = s.GetComplaint(t.Context(), "c-2")
	require.NoError(t, err)
	assertComplaint(t, w, got)
	assert.True(t, got.ResolutionDue.IsZero())
	assert.True(t, got.Pauses[1].Open())
}

func complaintDuplicate(t *testing.T, s feedback.Store) {
	c := newComplaint("c-1", "cust-1", at(0))
	require.NoError(t, s.CreateComplaint(t.Context(), c))
	other := newComplaint("c-1", "cust-2", at(time.Hour))
	other.Description = "something else"
	require.ErrorIs(t, s.CreateComplaint(t.Context(), other), feedback.ErrAlreadyExists)
	got, err := s.GetComplaint(t.Context(), "c-1")
	require.NoError(t, err)
	assertComplaint(t, c, got)
	assert.Empty(t, kit.Collect(t, s.ComplaintsOf(t.Context(), "cust-2")), "nothing of the failed create is indexed")
}

func complaintMissing(t *testing.T, s feedback.Store) {
	_, err := s.GetComplaint(t.Context(), "nope")
	require.ErrorIs(t, err, feedback.ErrNotFound)
}

func complaintUpdate(t *testing.T, s feedback.Store) {
	c := newComplaint("c-1", "cust-1", at(0))
	require.NoError(t, s.CreateComplaint(t.Context(), c))
	c.Version, c.Status, c.ResolvedAt, c.DueAt = 2, feedback.StatusResolved, at(5*time.Hour), time.Time{}
	c.History = append(c.History, feedback.Transition{Action: feedback.ActionResolve, From: feedback.StatusInvestigating, To: feedback.StatusResolved, Actor: "bob", At: at(5 * time.Hour)})
	require.NoError(t, s.UpdateComplaint(t.Context(), c))
	got, err := s.GetComplaint(t.Context(), "c-1")
	require.NoError(t, err)
	assertComplaint(t, c, got)
	c.Version, c.Satisfaction = 3, 5
	require.NoError(t, s.UpdateComplaint(t.Context(), c))
	got, err = s.GetComplaint(t.Context(), "c-1")
	require.NoError(t, err)
	assert.Equal(t, int64(3), got.Version)
	assert.Equal(t, 5, got.Satisfaction)
}

func complaintStale(t *testing.T, s feedback.Store) {
	c := newComplaint("c-1", "cust-1", at(0))
	require.NoError(t, s.CreateComplaint(t.Context(), c))
	for _, v := range []int64{1, 3, 0} {
		u := newComplaint("c-1", "cust-1", at(0))
		u.Version, u.Status = v, feedback.StatusClosed
		require.ErrorIs(t, s.UpdateComplaint(t.Context(), u), feedback.ErrConflict, "version %d", v)
	}
	got, err := s.GetComplaint(t.Context(), "c-1")
	require.NoError(t, err)
	assertComplaint(t, c, got)
}

func complaintUpdateMissing(t *testing.T, s feedback.Store) {
	c := newComplaint("c-1", "cust-1", at(0))
	c.Version = 2
	require.ErrorIs(t, s.UpdateComplaint(t.Context(), c), feedback.ErrNotFound)
}

func openComplaints(t *testing.T, s feedback.Store) {
	statuses := map[string]feedback.ComplaintStatus{
		"c-5": feedback.StatusReceived, "c-3": feedback.StatusAcknowledged, "c-1": feedback.StatusInvestigating,
		"c-2": feedback.StatusResolved, "c-4": feedback.StatusClosed, "c-10": feedback.StatusInvestigating,
	}
	for id, st := range statuses {
		c := newComplaint(id, "cust-1", at(0))
		c.Status = st
		require.NoError(t, s.CreateComplaint(t.Context(), c))
	}
	assert.Equal(t, []string{"c-1", "c-10", "c-3", "c-5"}, complaintIDs(kit.Collect(t, s.OpenComplaints(t.Context()))))

	// A status change moves a complaint in or out.
	c, err := s.GetComplaint(t.Context(), "c-3")
	require.NoError(t, err)
	c.Version, c.Status = c.Version+1, feedback.StatusResolved
	require.NoError(t, s.UpdateComplaint(t.Context(), c))
	c, err = s.GetComplaint(t.Context(), "c-2")
	require.NoError(t, err)
	c.Version, c.Status = c.Version+1, feedback.StatusInvestigating
	require.NoError(t, s.UpdateComplaint(t.Context(), c))
	assert.Equal(t, []string{"c-1", "c-10", "c-2", "c-5"}, complaintIDs(kit.Collect(t, s.OpenComplaints(t.Context()))))
}

func complaintsBetween(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"c-a": 0, "c-c": time.Hour, "c-b": time.Hour, "c-d": 2 * time.Hour, "c-e": -time.Microsecond} {
		require.NoError(t, s.CreateComplaint(t.Context(), newComplaint(id, "cust-1", at(d))))
	}
	got := kit.Collect(t, s.ComplaintsBetween(t.Context(), at(0), at(2*time.Hour)))
	assert.Equal(t, []string{"c-a", "c-b", "c-c"}, complaintIDs(got), "from is in, to is out, ties by ID")
	assert.Empty(t, kit.Collect(t, s.ComplaintsBetween(t.Context(), at(time.Hour), at(time.Hour))))
	assert.Len(t, kit.Collect(t, s.ComplaintsBetween(t.Context(), at(-time.Hour), at(3*time.Hour))), 5)
}

func complaintsOf(t *testing.T, s feedback.Store) {
	for id, d := range map[string]time.Duration{"c-a": 0, "c-c": time.Hour, "c-b": time.Hour, "c-d": -time.Hour} {
		require.NoError(t, s.CreateComplaint(t.Context(), newComplaint(id, "cust-1", at(d))))
	}
	require.NoError(t, s.CreateComplaint(t.Context(), newComplaint("c-x", "cust-2", at(0))))
	assert.Equal(t, []string{"c-c", "c-b", "c-a", "c-d"}, complaintIDs(kit.Collect(t, s.ComplaintsOf(t.Context(), "cust-1"))))
	assert.Empty(t, kit.Collect(t, s.ComplaintsOf(t.Context(), "cust-9")))
}

func dueIndexRules() []rule {
	return []rule{
		{"ComplaintsDueBefore", "NonZeroDueAtBeforeTInOrder", dueBefore},
		{"ComplaintsDueBefore", "FollowsUpdates", dueFollowsUpdates},
	}
}

// dueIndex returns the store's index or skips.
func dueIndex(t *testing.T, s feedback.Store) feedback.DueComplaintIndex {
	idx, ok := s.(feedback.DueComplaintIndex)
	if !ok {
		t.Skip("the store does not offer feedback.DueComplaintIndex")
	}
	return idx
}

func withDue(id string, due time.Time) feedback.Complaint {
	c := newComplaint(id, "cust-1", at(-24*time.Hour))
	c.DueAt = due
	return c
}

func dueBefore(t *testing.T, s feedback.Store) {
	idx := dueIndex(t, s)
	for id, due := range map[string]time.Time{
		"c-1": at(2 * time.Hour), "c-2": at(-3 * time.Hour), "c-3": at(2 * time.Hour), "c-4": at(5 * time.Hour),
		"c-5": {}, "c-6": at(-400 * 24 * time.Hour), "c-7": at(2*time.Hour + time.Microsecond),
	} {
		require.NoError(t, s.CreateComplaint(t.Context(), withDue(id, due)))
	}
	got := kit.Collect(t, idx.ComplaintsDueBefore(t.Context(), at(2*time.Hour+time.Microsecond)))
	assert.Equal(t, []string{"c-6", "c-2", "c-1", "c-3"}, complaintIDs(got), "by DueAt then ID; DueAt equal to t is out; zero never")
	assert.Empty(t, kit.Collect(t, idx.ComplaintsDueBefore(t.Context(), at(-500*24*time.Hour))))
}

func dueFollowsUpdates(t *testing.T, s feedback.Store) {
	idx := dueIndex(t, s)
	require.NoError(t, s.CreateComplaint(t.Context(), withDue("c-1", at(0))))
	require.NoError(t, s.CreateComplaint(t.Context(), withDue("c-2", at(time.Hour))))
	c := withDue("c-1", at(10*time.Hour))
	c.Version = 2
	require.NoError(t, s.UpdateComplaint(t.Context(), c))
	c2 := withDue("c-2", time.Time{})
	c2.Version, c2.Status = 2, feedback.StatusResolved
	require.NoError(t, s.UpdateComplaint(t.Context(), c2))
	assert.Empty(t, kit.Collect(t, idx.ComplaintsDueBefore(t.Context(), at(5*time.Hour))))
	got := kit.Collect(t, idx.ComplaintsDueBefore(t.Context(), at(11*time.Hour)))
	require.Len(t, got, 1)
	assertComplaint(t, c, got[0])
}
