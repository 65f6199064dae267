package kit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/kit"
)

const brokenEnv = "KIT_RUN_BROKEN_STORES"

// toyRules are the contract of a store that is an int: it must be zero.
var toyRules = []kit.Rule[int]{
	{Group: "Value", Name: "IsZero", Check: func(t *testing.T, s int) { assert.Zero(t, s) }},
}

func runToy(t *testing.T, newStore func(*testing.T) int) { kit.Run(t, newStore, toyRules) }

var toyBroken = []kit.Broken[int]{
	{Name: "One", Rule: "Value/IsZero", Store: func() int { return 1 }},
	{Name: "Minus", Rule: "Value/IsZero", Store: func() int { return -1 }},
}

// TestToyBrokenStores is the child process's test, and fails.
func TestToyBrokenStores(t *testing.T) {
	kit.RunBroken(t, brokenEnv, toyBroken, runToy)
}

func TestCatchesBrokenToyStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestToyBrokenStores", toyBroken)
}

func TestToyKitPassesAGoodStore(t *testing.T) {
	runToy(t, func(*testing.T) int { return 0 })
}
