package ledger

import (
	"encoding/json"
	"testing"
)

// FuzzModelSequence lets the fuzzer pick model-test seeds and lengths.
func FuzzModelSequence(f *testing.F) {
	f.Add(int64(1), uint8(40))
	f.Add(int64(501164383), uint8(30))
	f.Add(int64(309695506), uint8(35))
	f.Fuzz(func(t *testing.T, seed int64, steps uint8) {
		if err := runSequence(seed, int(steps%80)+1); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
	})
}

// FuzzFromSnapshot feeds arbitrary JSON to FromSnapshot: it must never
// panic, and an account it accepts must be internally consistent and
// survive another round trip.
func FuzzFromSnapshot(f *testing.F) {
	f.Add([]byte(`{"ID":"m1","Lots":[{"ID":"L1","Amount":10,"Remaining":5,"Held":2,"Released":true}],` +
		`"Operations":[{"Kind":"hold","ID":"H1","Points":2,"State":"held","Portions":[{"LotID":"L1","Points":2}]}]}`))
	f.Add([]byte(`{"ID":"m1","Lots":[{"ID":"L1","Amount":10,"Remaining":11}]}`))
	f.Add([]byte(`{"ID":"","Debt":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Snapshot
		if json.Unmarshal(data, &s) != nil {
			return
		}
		a, err := FromSnapshot(s)
		if err != nil {
			return
		}
		c := &checker{a: a, lots: map[string]*Draw{}}
		c.holds()
		c.indexes()
		for id, l := range a.lots.All() {
			if l.Remaining < 0 || l.Remaining > l.Amount || l.Held < 0 || l.Held > l.Remaining {
				c.fail("lot %q out of bounds", id)
			}
		}
		if len(c.errs) > 0 {
			t.Fatal(c.errs)
		}
		b, err := FromSnapshot(a.Snapshot())
		if err != nil || describe(a, true) != describe(b, true) {
			t.Fatalf("round trip: %v", err)
		}
	})
}
