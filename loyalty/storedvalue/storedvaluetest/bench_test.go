package storedvaluetest_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
)

func BenchmarkMemoryStore(b *testing.B) {
	storedvaluetest.Bench(b, func(*testing.B) storedvalue.Store { return storedvalue.NewMemoryStore() })
}

func TestSeedWalletKeepsTheInvariants(t *testing.T) {
	s := storedvalue.NewMemoryStore()
	_, err := storedvaluetest.SeedWallet(t.Context(), s, "m", 200)
	if err != nil {
		t.Fatal(err)
	}
	if err := storedvalue.Audit(t.Context(), s, storedvalue.WalletID("m")); err != nil {
		t.Fatal(err)
	}
}
