package kit

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// Rule is one checked sentence of a store's contract. Group is the method
// it is about (or a topic, such as "Iterators") and Name the rule; Run
// runs Check as the subtest Group/Name.
type Rule[S any] struct {
	Group, Name string
	Check       func(t *testing.T, s S)
}

// Run runs every rule as a subtest Group/Name, each against a new store
// from newStore, which must return an empty store. Groups run in the order
// they first appear in rules, and a group's rules in their order there, so
// a kit can list its rules by file and still report them by method.
func Run[S any](t *testing.T, newStore func(t *testing.T) S, rules []Rule[S]) {
	t.Helper()
	byGroup, order := grouped(rules)
	for _, group := range order {
		t.Run(group, func(t *testing.T) {
			for _, r := range byGroup[group] {
				t.Run(r.Name, func(t *testing.T) {
					s := newStore(t)
					require.NotNil(t, s, "newStore returned a nil store")
					r.Check(t, s)
				})
			}
		})
	}
}

// Names returns the subtest names Run gives rules, as "Group/Name" in the
// order Run runs them.
func Names[S any](rules []Rule[S]) []string {
	byGroup, order := grouped(rules)
	out := make([]string, 0, len(rules))
	for _, g := range order {
		for _, r := range byGroup[g] {
			out = append(out, g+"/"+r.Name)
		}
	}
	return out
}

// grouped returns the rules by group, and the groups in first-seen order.
func grouped[S any](rules []Rule[S]) (map[string][]Rule[S], []string) {
	byGroup := map[string][]Rule[S]{}
	var order []string
	for _, r := range rules {
		if _, seen := byGroup[r.Group]; !seen {
			order = append(order, r.Group)
		}
		byGroup[r.Group] = append(byGroup[r.Group], r)
	}
	return byGroup, order
}
