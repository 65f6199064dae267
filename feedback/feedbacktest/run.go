package feedbacktest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/feedback"
)

// Run checks that the stores newStore returns keep the feedback.Store
// contract. It runs one subtest per rule, each against a new store from
// newStore, which must return an empty store.
func Run(t *testing.T, newStore func(t *testing.T) feedback.Store) {
	t.Helper()
	byGroup, order := grouped()
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

// Rules lists the rules Run checks, as "Method/Rule" subtest names in the
// order Run runs them, for a -run pattern or an adapter's documentation.
func Rules() []string {
	byGroup, order := grouped()
	var out []string
	for _, g := range order {
		for _, r := range byGroup[g] {
			out = append(out, g+"/"+r.name)
		}
	}
	return out
}

// grouped returns the rules by group, and the groups in first-seen order.
func grouped() (map[string][]rule, []string) {
	groups := [][]rule{
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
	return byGroup, order
}

// rule is one checked sentence of the contract: group is the method (or
// the topic), name the rule.
type rule struct {
	group, name string
	check       func(t *testing.T, s feedback.Store)
}
