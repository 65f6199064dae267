package feedback_test

import (
	"testing"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/feedback/feedbacktest"
)

func TestMemoryStoreConformance(t *testing.T) {
	feedbacktest.Run(t, func(*testing.T) feedback.Store { return feedback.NewMemoryStore() })
}

// withoutIndex hides the memory store's DueComplaintIndex, so the kit and
// the service run their generic paths.
type withoutIndex struct{ *feedback.MemoryStore }

func (withoutIndex) ComplaintsDueBefore() {} // shadows the capability

func TestMemoryStoreConformanceWithoutIndex(t *testing.T) {
	feedbacktest.Run(t, func(*testing.T) feedback.Store { return withoutIndex{feedback.NewMemoryStore()} })
}
