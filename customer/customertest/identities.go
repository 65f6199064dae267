package customertest

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/customer"
)

// identityRules run customer.Service over the store, as a host does, and
// check the model's invariants (see Model): a store that keeps every
// sentence of the contract loses no identity however merges race or are
// cut short. They catch what the one-method rules cannot: a store whose
// records or writes, each plausible alone, let a merge lose an identity.
func identityRules() []rule {
	return []rule{
		{"Merge", "CutShortAndResumedAfterTheSurvivorMovedOnLosesNoIdentity", mergeResumedOnward},
		{"Merge", "OppositeRacesThenOnwardLoseNoIdentity", mergeOppositeRaces},
		{"Merge", "RandomSequencesKeepEveryIdentity", mergeModel},
	}
}

// threeShoppers registers a with a phone, b with an email and c with a
// phone, an email and a member number.
func threeShoppers(m *model) (a, b, c string) {
	ctx := m.t.Context()
	m.apply(m.register(0)(ctx))
	m.apply(m.register(1)(ctx))
	m.apply(m.register(2)(ctx))
	if len(m.ids) != 3 {
		// A store that broke a registration fails here, not with a
		// panic that would end the run of every later rule.
		m.t.Fatalf("seed %d: %d of 3 registrations succeeded", m.seed, len(m.ids))
	}
	return m.ids[0], m.ids[1], m.ids[2]
}

// mergeResumedOnward cuts the merge of b into a short at each of its
// writes in turn (before the write lands, and after it lands with the
// reply lost), merges a on into c meanwhile, and resumes the merge.
func mergeResumedOnward(t *testing.T, s customer.Store) {
	for crashAt := 1; crashAt <= 12; crashAt++ {
		for _, after := range []bool{false, true} {
			m := newModel(t, s, uint64(100+2*crashAt)+map[bool]uint64{false: 0, true: 1}[after])
			a, b, c := threeShoppers(m)
			m.round(fmt.Sprintf("crash at write %d (after %v)", crashAt, after),
				[][]step{{m.crashMerge(a, b, crashAt, after, c)}})
			if t.Failed() {
				return
			}
		}
	}
}

// mergeOppositeRaces has two lanes merge a and b in opposite directions at
// once, then merges whichever of them is left into c.
func mergeOppositeRaces(t *testing.T, s customer.Store) {
	for i := range 30 {
		m := newModel(t, s, uint64(200+i))
		a, b, c := threeShoppers(m)
		m.round("opposite merges", [][]step{{m.merge(a, b)}, {m.merge(b, a)}})
		m.round("onward merges", [][]step{{m.merge(c, a), m.merge(c, b)}})
		if t.Failed() {
			return
		}
	}
}

// mergeModel runs a few random sequences of Model on the store.
func mergeModel(t *testing.T, s customer.Store) {
	Model(t, func(*testing.T) customer.Store { return s }, ModelOptions{Sequences: 5})
}
