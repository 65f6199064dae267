package coupontest

import (
	"slices"
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/coupon"
)

// Run checks that the stores newStore returns keep the coupon.Store
// contract. newStore must return an empty store; each rule gets its own.
func Run(t *testing.T, newStore func(t *testing.T) coupon.Store) {
	t.Helper()
	kit.Run(t, newStore, rules())
}

// RuleNames lists the subtests Run runs, as "Group/Name" in the order it
// runs them: an adapter's test can pick some with go test -run.
func RuleNames() []string { return kit.Names(rules()) }

// rules lists the kit's rules, by the file that holds them.
func rules() []kit.Rule[coupon.Store] {
	return slices.Concat(definitionRules(), codeRules(), saveRules(), concurrencyRules(), iteratorRules())
}

type rule = kit.Rule[coupon.Store]
