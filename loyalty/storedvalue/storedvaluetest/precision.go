package storedvaluetest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func precisionRules() []rule {
	return []rule{
		{"TimePrecision", "MicrosecondsInZonesRoundTrip", func(t *testing.T, s storedvalue.Store) {
			a := fullAccount()
			a.hdr.CreatedAt = at(time.Microsecond).In(shanghai)
			a.hdr.Punch.ValidFrom = at(2 * time.Microsecond).In(newYork)
			a.hdr.Punch.ValidUntil = at(day + 3*time.Microsecond).In(shanghai)
			parts := []storedvalue.Part{
				bonus("b1", 1, at(time.Microsecond).In(shanghai), at(30*day+time.Microsecond).In(newYork)),
				bonus("b2", 1, at(0), at(30*day)),
				paid("p1", 1, at(5*time.Microsecond).In(newYork)),
			}
			w := a.next("create:P1", parts...)
			w.Entries[0].At = at(7 * time.Microsecond).In(newYork)
			a.save(t, s, w)
			stored(t, s, a)
			got, err := s.Parts(t.Context(), "P1", []string{"b1", "b2", "p1"})
			require.NoError(t, err)
			require.Len(t, got, 3)
			for i := range got {
				requirePart(t, parts[i], got[i])
			}
			order := kit.Collect(t, s.SpendingParts(t.Context(), "P1", storedvalue.BonusPart))
			assert.Equal(t, []string{"b2", "b1"}, partIDs(order), "the index sees microseconds")
			es := entries(t, s, "P1", 0)
			require.Len(t, es, 3)
			assertTime(t, w.Entries[0].At, es[0].At, "entry At")
		}},
		{"TimePrecision", "ZeroTimesStayZero", func(t *testing.T, s storedvalue.Store) {
			a := fullAccount()
			a.hdr.Punch.ValidUntil = time.Time{}
			a.save(t, s, a.next("create:P1", bonus("never", 1, at(0), time.Time{})))
			got, err := s.GetAccount(t.Context(), "P1")
			require.NoError(t, err)
			assert.True(t, got.Punch.ValidUntil.IsZero())
			ps, err := s.Parts(t.Context(), "P1", []string{"never"})
			require.NoError(t, err)
			require.Len(t, ps, 1)
			assert.True(t, ps[0].ExpiresAt.IsZero())
		}},
	}
}
