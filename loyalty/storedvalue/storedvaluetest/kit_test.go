package storedvaluetest_test

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
)

func TestKitPassesMemoryStore(t *testing.T) {
	storedvaluetest.Run(t, func(*testing.T) storedvalue.Store { return storedvalue.NewMemoryStore() })
}
