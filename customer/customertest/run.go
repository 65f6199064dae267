package customertest

import (
	"slices"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
)

// Run checks that the stores newStore returns keep the customer.Store
// contract. It runs one subtest per rule, each against a new store from
// newStore, which must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) customer.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// rules lists every rule of the kit, by the file that holds it; Run
// reports them grouped by method in first-seen order.
func rules() []kit.Rule[customer.Store] {
	var out []kit.Rule[customer.Store]
	for _, r := range slices.Concat(
		customerRules(),
		updateRules(),
		listingRules(),
		mergeRules(),
		purchaseRules(),
		returnRules(),
		orderRules(),
		reassignRules(),
		interactionRules(),
		copyRules(),
		precisionRules(),
		iteratorRules(),
		concurrencyRules(),
		identityRules(),
	) {
		out = append(out, kit.Rule[customer.Store](r))
	}
	return out
}

// rule is one checked sentence of the contract: Group is the method (or
// the topic, such as "Iterators"), Name the rule. It is a type of the kit's
// own, not an alias, so the rule tables can stay unkeyed literals.
type rule kit.Rule[customer.Store]
