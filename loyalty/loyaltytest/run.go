package loyaltytest

import (
	"slices"
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
)

// Run checks that the stores newStore returns keep the loyalty.Store
// contract. It runs one subtest per rule, each against a new store from
// newStore, which must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) loyalty.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// rules lists every rule of the kit, by the file that holds it; Run
// reports them grouped by method in first-seen order.
func rules() []kit.Rule[loyalty.Store] {
	var out []kit.Rule[loyalty.Store]
	for _, r := range slices.Concat(
		lookupRules(),
		saveRules(),
		lotRules(),
		recordRules(),
		conflictRules(),
		operationRules(),
		prefetchRules(),
		dueRules(),
		changeRules(),
		entryRules(),
		accountListRules(),
		iteratorRules(),
		copyRules(),
		precisionRules(),
		concurrencyRules(),
	) {
		out = append(out, kit.Rule[loyalty.Store](r))
	}
	return out
}

// rule is one checked sentence of the contract: Group is the method (or
// the topic, such as "Iterators"), Name the rule. It is a type of the kit's
// own, not an alias, so the rule tables can stay unkeyed literals.
type rule kit.Rule[loyalty.Store]
