package loyaltytest

import (
	"testing"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/require"
)

// Run checks that the stores newStore returns keep the loyalty.Store
// contract. It runs one subtest per rule, each against a new store from
// newStore, which must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) loyalty.Store) {
	t.Helper()
	groups := [][]rule{
		lookupRules(),
		saveRules(),
		conflictRules(),
		operationRules(),
		entryRules(),
		accountListRules(),
		iteratorRules(),
		copyRules(),
		precisionRules(),
		concurrencyRules(),
	}
	byGroup := map[string][]rule{}
	var order []string
	for _, g := range groups {
		for _, r := range g {
			if _, seen := byGroup[r.group]; !seen {
				order = append(order, r.group)
			}
			byGroup[r.group] = append(byGroup[r.group], r)
		}
	}
	for _, group := range order {
		t.Run(group, func(t *testing.T) {
			for _, r := range byGroup[group] {
				t.Run(r.name, func(t *testing.T) {
					s := newStore(t)
					require.NotNil(t, s, "newStore returned a nil store")
					r.check(t, s)
				})
			}
		})
	}
}

// rule is one checked sentence of the contract: group is the method (or
// the topic, such as "Iterators"), name the rule.
type rule struct {
	group, name string
	check       func(t *testing.T, s loyalty.Store)
}
