package postgres_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
)

// BenchmarkStoredValue runs the till's operations (top-up, hold+commit,
// refund) at 100 and 50,000 prior entries on the adapter.
func BenchmarkStoredValue(b *testing.B) {
	storedvaluetest.Bench(b, func(b *testing.B) storedvalue.Store { return freshDB(b).StoredValue() })
}
