package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/customer/customertest"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/feedback/feedbacktest"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
)

// open returns a new database in a file of the test's own temporary
// directory, closed when the test ends.
func open(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "lane.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	})
	return db
}

func TestCustomerStore(t *testing.T) {
	customertest.Run(t, func(t *testing.T) customer.Store { return open(t).Customers() })
}

func TestLoyaltyStore(t *testing.T) {
	loyaltytest.Run(t, func(t *testing.T) loyalty.Store { return open(t).Loyalty() })
}

func TestFeedbackStore(t *testing.T) {
	feedbacktest.Run(t, func(t *testing.T) feedback.Store { return open(t).Feedback() })
}
