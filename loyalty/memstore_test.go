package loyalty_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
)

// TestMemoryStoreConformance runs the conformance kit against the
// in-memory store, as every adapter does against its own.
func TestMemoryStoreConformance(t *testing.T) {
	loyaltytest.Run(t, func(*testing.T) loyalty.Store { return loyalty.NewMemoryStore() })
}
