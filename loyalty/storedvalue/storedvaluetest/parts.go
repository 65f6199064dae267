package storedvaluetest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func partRules() []rule {
	return []rule{
		{"Parts", "ByIDInTheOrderAskedSkippingMissing", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			a.save(t, s, a.next("op:1", paid("x", 1, at(0)), paid("y", 2, at(0)), paid("z", 3, at(0))))
			create(t, s, "B1")
			got, err := s.Parts(t.Context(), "A1", []string{"z", "missing", "x", "B1-p"})
			require.NoError(t, err)
			assert.Equal(t, []string{"z", "x"}, partIDs(got))
			got, err = s.Parts(t.Context(), "nobody", []string{"x"})
			require.NoError(t, err)
			assert.Empty(t, got)
		}},
		{"Parts", "ReplacedByID", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			p := bonus("b", 10, at(0), at(30*day))
			a.save(t, s, a.next("op:1", p))
			p.Remaining, p.Held = 4, 5
			w := a.next("op:2")
			w.Parts = []storedvalue.Part{p}
			a.save(t, s, w)
			got, err := s.Parts(t.Context(), "A1", []string{"b"})
			require.NoError(t, err)
			require.Len(t, got, 1)
			requirePart(t, p, got[0])
		}},
		{"SpendingParts", "OpenPartsOfTheKindInSpendingOrder", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			spent := paid("p-spent", 5, at(0))
			a.save(t, s, a.next("op:1",
				bonus("b-never", 1, at(0), time.Time{}),
				bonus("b-late", 1, at(0), at(60*day)),
				bonus("b-soon-new", 1, at(2*time.Microsecond), at(30*day)),
				bonus("b-soon-old-2", 1, at(time.Microsecond), at(30*day)),
				bonus("b-soon-old-1", 1, at(time.Microsecond), at(30*day)),
				paid("p-2", 1, at(2*day)), paid("p-1", 1, at(day)), spent,
			))
			create(t, s, "B1") // another account's parts are not these
			spent.Remaining = 0
			w := a.next("op:2")
			w.Parts = []storedvalue.Part{spent}
			a.save(t, s, w)
			bon := kit.Collect(t, s.SpendingParts(t.Context(), "A1", storedvalue.BonusPart))
			assert.Equal(t, []string{"b-soon-old-1", "b-soon-old-2", "b-soon-new", "b-late", "b-never"}, partIDs(bon))
			pd := kit.Collect(t, s.SpendingParts(t.Context(), "A1", storedvalue.PaidPart))
			assert.Equal(t, []string{"p-1", "p-2"}, partIDs(pd), "spent parts are not open")
			assert.Empty(t, kit.Collect(t, s.SpendingParts(t.Context(), "nobody", storedvalue.PaidPart)))
		}},
		{"SpendingParts", "HeldOnlyPartsAreNotOpen", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			p := paid("p", 10, at(0))
			a.save(t, s, a.next("op:1", p))
			p.Remaining, p.Held = 0, 10
			w := a.next("op:2")
			w.Parts = []storedvalue.Part{p}
			a.save(t, s, w)
			assert.Empty(t, kit.Collect(t, s.SpendingParts(t.Context(), "A1", storedvalue.PaidPart)))
			p.Remaining, p.Held = 10, 0
			w = a.next("op:3")
			w.Parts = []storedvalue.Part{p}
			a.save(t, s, w)
			assert.Len(t, kit.Collect(t, s.SpendingParts(t.Context(), "A1", storedvalue.PaidPart)), 1, "released again")
		}},
		{"AllParts", "EveryPartByIDByteOrder", func(t *testing.T, s storedvalue.Store) {
			a := wallet("A1")
			z := paid("z", 1, at(0))
			a.save(t, s, a.next("op:1", z, paid("B", 1, at(0)), bonus("a", 1, at(0), at(day))))
			z.Remaining = 0
			w := a.next("op:2")
			w.Parts = []storedvalue.Part{z}
			a.save(t, s, w)
			assert.Equal(t, []string{"B", "a", "z"}, partIDs(kit.Collect(t, s.AllParts(t.Context(), "A1"))))
		}},
	}
}

func requirePart(t *testing.T, want, got storedvalue.Part) {
	t.Helper()
	assertTime(t, want.CreatedAt, got.CreatedAt, want.ID+" CreatedAt")
	assertTime(t, want.ExpiresAt, got.ExpiresAt, want.ID+" ExpiresAt")
	assert.Equal(t, want.ExpiresAt.IsZero(), got.ExpiresAt.IsZero(), want.ID+": a zero expiry stays zero")
	want.CreatedAt, want.ExpiresAt, got.CreatedAt, got.ExpiresAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	assert.Equal(t, want, got)
}
