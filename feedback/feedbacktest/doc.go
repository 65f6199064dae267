// Package feedbacktest checks that an implementation of feedback.Store
// keeps the contract documented in package feedback. Every "must" in the
// documentation of Store, ComplaintStore, DueComplaintIndex, SurveyStore,
// ReviewStore, FollowUpStore and CustomerLinks is a subtest here, in the
// way testing/fstest.TestFS checks an fs.FS.
//
// An adapter author calls Run from an ordinary test, with a function that
// returns a new, empty store; Run calls it once per subtest and passes the
// subtest's *testing.T, so the function can register clean-up:
//
//	func TestStoreConformance(t *testing.T) {
//		feedbacktest.Run(t, func(t *testing.T) feedback.Store {
//			return pgstore.New(openTestSchema(t))
//		})
//	}
//
// Subtests are named "Method/Rule", such as
// "UpdateComplaint/ConcurrentSameVersionOneWins", so one rule runs alone
// with go test -run 'Conformance/UpdateComplaint/'.
//
// Where the contract leaves a detail open, the kit settles it:
//
//   - Errors are matched with errors.Is only, so stores may wrap the
//     sentinels of package feedback with %w.
//   - Times are built with microsecond precision in zones other than UTC
//     and compared with time.Time.Equal: the instant must survive, the zone
//     need not. Decimals are compared by value, and a nil slice equals an
//     empty one.
//   - "Ascending ID order" is byte-wise order, as Go compares strings.
//   - An iterator yields an error at most once, as its last value; a
//     context cancelled before the loop surfaces as an error matching
//     context.Canceled.
//   - Concurrency cases release 16 goroutines at once against one store;
//     exactly one compare-and-set may win.
//   - The DueComplaintIndex rules run only when the store offers it.
//
// Subtests do not call t.Parallel.
package feedbacktest
