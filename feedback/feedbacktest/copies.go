package feedbacktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

func copyRules() []rule {
	return []rule{
		{"Copies", "ComplaintsAreCopiesBothWays", copyComplaint},
		{"Copies", "ResponsesAreCopiesBothWays", copyResponse},
		{"Copies", "SurveysAndLogsAreCopiesBothWays", copySurvey},
	}
}

func scribble(c *feedback.Complaint) {
	c.History[0].Note = "scribbled"
	c.Remedies[0].Points = 99
	c.Pauses[0].End = time.Time{}
	c.Escalations[0].To = "nobody"
}

func copyComplaint(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	c := newComplaint("c-1", "cust-1", at(0))
	require.NoError(t, s.CreateComplaint(ctx, c))
	scribble(&c) // the caller's value after the write
	got, err := s.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assertComplaint(t, newComplaint("c-1", "cust-1", at(0)), got)
	scribble(&got) // a value the store handed out
	for _, seq := range [][]feedback.Complaint{
		kit.Collect(t, s.OpenComplaints(ctx)), kit.Collect(t, s.ComplaintsOf(ctx, "cust-1")),
		kit.Collect(t, s.ComplaintsBetween(ctx, at(-time.Hour), at(time.Hour))),
	} {
		require.Len(t, seq, 1)
		scribble(&seq[0])
	}
	again, err := s.GetComplaint(ctx, "c-1")
	require.NoError(t, err)
	assertComplaint(t, newComplaint("c-1", "cust-1", at(0)), again)
}

func copyResponse(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	r := newResponse("r-1", "cust-1", at(0))
	require.NoError(t, s.AddResponse(ctx, r))
	r.Response.Answers[0].Score = 0
	got, err := s.GetResponse(ctx, "r-1")
	require.NoError(t, err)
	got.Response.Answers[0].Score = 1
	for _, x := range kit.Collect(t, s.ResponsesOf(ctx, "cust-1")) {
		x.Answers[0].Score = 2
	}
	for _, x := range kit.Collect(t, s.ResponsesBetween(ctx, at(-time.Hour), at(time.Hour))) {
		x.Answers[0].Score = 3
	}
	again, err := s.GetResponse(ctx, "r-1")
	require.NoError(t, err)
	assertResponse(t, newResponse("r-1", "cust-1", at(0)).Response, again.Response)
}

func copySurvey(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	sv := newSurvey("s-1")
	require.NoError(t, s.CreateSurvey(ctx, sv))
	sv.Questions[0].Text = "changed"
	got, err := s.GetSurvey(ctx, "s-1")
	require.NoError(t, err)
	got.Questions[0].Text = "changed too"
	for _, x := range kit.Collect(t, s.Surveys(ctx)) {
		x.Questions[0].Text = "and again"
	}
	again, err := s.GetSurvey(ctx, "s-1")
	require.NoError(t, err)
	assertSurvey(t, newSurvey("s-1"), again)

	l := newLog("cust-1", 1, 2)
	require.NoError(t, s.SaveInvitationLog(ctx, l))
	l.Invitations[0].Reference = "changed"
	gl, err := s.GetInvitationLog(ctx, "cust-1")
	require.NoError(t, err)
	gl.Invitations[1].Reference = "changed"
	gl2, err := s.GetInvitationLog(ctx, "cust-1")
	require.NoError(t, err)
	assertLog(t, newLog("cust-1", 1, 2), gl2)
}
