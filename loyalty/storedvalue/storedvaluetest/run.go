package storedvaluetest

import (
	"slices"
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// Run checks that the stores newStore returns keep the storedvalue.Store
// contract. It runs one subtest per rule, each against a new store from
// newStore, which must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) storedvalue.Store) {
	t.Helper()
	kit.Run(t, newStore, Rules())
}

// Rules lists every rule of the kit, by the file that holds it; Run
// reports them grouped by method in first-seen order. Names lists their
// subtest names.
func Rules() []kit.Rule[storedvalue.Store] {
	var out []kit.Rule[storedvalue.Store]
	for _, r := range slices.Concat(lookupRules(), saveRules(), partRules(), recordRules(), dueRules(), listRules(),
		iteratorRules(), copyRules(), precisionRules()) {
		out = append(out, kit.Rule[storedvalue.Store](r))
	}
	return out
}

// Names returns the subtest names of every rule, "Group/Name", in the
// order Run runs them.
func Names() []string { return kit.Names(Rules()) }

// rule is one checked sentence of the contract. It is a type of the kit's
// own, not an alias, so the rule tables can stay unkeyed literals.
type rule kit.Rule[storedvalue.Store]
