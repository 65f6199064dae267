package feedbacktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

func precisionRules() []rule {
	return []rule{
		{"TimePrecision", "MicrosecondsRoundTripInAnyZone", precisionRoundTrip},
		{"TimePrecision", "MicrosecondApartKeepOrderAndBounds", precisionOrder},
	}
}

// precise has every microsecond digit set in a half-hour zone; far lies
// before the Unix epoch.
var (
	precise = time.Date(2024, time.February, 29, 23, 59, 59, 987654000, kolkata)
	far     = time.Date(1969, time.December, 31, 23, 59, 59, 999999000, newYork)
)

func precisionRoundTrip(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	for i, when := range []time.Time{precise, far} {
		id := idOf("x", i)
		c := newComplaint(id, "cust-1", when)
		require.NoError(t, s.CreateComplaint(ctx, c))
		got, err := s.GetComplaint(ctx, id)
		require.NoError(t, err)
		assertComplaint(t, c, got)

		r := newResponse(id, "cust-1", when)
		require.NoError(t, s.AddResponse(ctx, r))
		gotR, err := s.GetResponse(ctx, id)
		require.NoError(t, err)
		assertResponse(t, r.Response, gotR.Response)

		rv := newReview(id, "cust-1", "SKU", when)
		require.NoError(t, s.CreateReview(ctx, rv))
		gotRv, err := s.GetReview(ctx, id)
		require.NoError(t, err)
		assertReview(t, rv, gotRv)

		f := doneFollowUp(id, "cust-1", when)
		require.NoError(t, s.CreateFollowUp(ctx, f))
		gotF, err := s.GetFollowUp(ctx, id)
		require.NoError(t, err)
		assertFollowUp(t, f, gotF)
	}
}

func precisionOrder(t *testing.T, s feedback.Store) {
	ctx := t.Context()
	for i := range 3 {
		when := precise.Add(time.Duration(i) * time.Microsecond)
		id := idOf("z", 2-i) // IDs against time order, so order must come from the times
		require.NoError(t, s.CreateComplaint(ctx, newComplaint(id, "cust-1", when)))
		require.NoError(t, s.AddResponse(ctx, newResponse(id, "cust-1", when)))
		require.NoError(t, s.CreateReview(ctx, newReview(id, "cust-1", "SKU", when)))
	}
	from, to := precise.Add(time.Microsecond), precise.Add(2*time.Microsecond)
	assert.Equal(t, []string{"z-0001"}, complaintIDs(kit.Collect(t, s.ComplaintsBetween(ctx, from, to))))
	assert.Equal(t, []string{"z-0001"}, responseIDs(kit.Collect(t, s.ResponsesBetween(ctx, from, to))))
	assert.Equal(t, []string{"z-0001"}, reviewIDs(kit.Collect(t, s.ReviewsBetween(ctx, from, to))))
	assert.Equal(t, []string{"z-0000", "z-0001", "z-0002"}, complaintIDs(kit.Collect(t, s.ComplaintsOf(ctx, "cust-1"))))
}
