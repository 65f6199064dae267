package feedbacktest

import (
	"slices"
	"testing"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/kit"
)

// Run checks that the stores newStore returns keep the feedback.Store
// contract. It runs one subtest per rule, each against a new store from
// newStore, which must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) feedback.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// Rules lists the rules Run checks, as "Method/Rule" subtest names in the
// order Run runs them, for a -run pattern or an adapter's documentation.
func Rules() []string {
	return kit.Names(rules())
}

// rules lists every rule of the kit, by the file that holds it; Run
// reports them grouped by method in first-seen order.
func rules() []kit.Rule[feedback.Store] {
	var out []kit.Rule[feedback.Store]
	for _, r := range slices.Concat(
		complaintRules(),
		dueIndexRules(),
		surveyRules(),
		responseRules(),
		invitationRules(),
		reviewRules(),
		followUpRules(),
		linkRules(),
		copyRules(),
		precisionRules(),
		iteratorRules(),
		concurrencyRules(),
	) {
		out = append(out, kit.Rule[feedback.Store](r))
	}
	return out
}

// rule is one checked sentence of the contract: Group is the method (or
// the topic, such as "Iterators"), Name the rule. It is a type of the kit's
// own, not an alias, so the rule tables can stay unkeyed literals.
type rule kit.Rule[feedback.Store]
