package kit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/kit"
)

// counter is a store for the runner's own tests: it only counts calls.
type counter struct{ calls int }

func TestRunGivesEachRuleAFreshStoreInGroupOrder(t *testing.T) {
	var ran []string
	var stores []*counter
	check := func(t *testing.T, c *counter) {
		c.calls++
		assert.Equal(t, 1, c.calls, "the store was shared between rules")
		ran = append(ran, t.Name())
	}
	rules := []kit.Rule[*counter]{
		{"B", "One", check},
		{"A", "One", check},
		{"B", "Two", check},
	}
	kit.Run(t, func(*testing.T) *counter {
		c := &counter{}
		stores = append(stores, c)
		return c
	}, rules)
	want := []string{"B/One", "B/Two", "A/One"}
	assert.Len(t, stores, 3)
	assert.Equal(t, want, kit.Names(rules))
	for i, name := range want {
		assert.Equal(t, t.Name()+"/"+name, ran[i])
	}
}
