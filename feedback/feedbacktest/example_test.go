package feedbacktest_test

import (
	"fmt"
	"strings"

	"github.com/clientele-go/clientele/feedback/feedbacktest"
)

// Rules names every sentence of the contract the kit checks; an adapter
// author can run one of them alone with go test -run.
func ExampleRules() {
	var complaintRules []string
	for _, r := range feedbacktest.Rules() {
		if strings.HasPrefix(r, "UpdateComplaint/") {
			complaintRules = append(complaintRules, r)
		}
	}
	fmt.Println(strings.Join(complaintRules, "\n"))
	fmt.Println(len(feedbacktest.Rules()) > 50)
	// Output:
	// UpdateComplaint/NextVersionReplaces
	// UpdateComplaint/StaleOrSkippedVersionIsConflict
	// UpdateComplaint/MissingIsNotFound
	// UpdateComplaint/ConcurrentSameVersionOneWins
	// true
}
