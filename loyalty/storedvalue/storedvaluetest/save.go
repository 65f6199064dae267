package storedvaluetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func saveRules() []rule {
	return []rule{
		{"Save", "CreateIsVersionOneAndRoundTrips", func(t *testing.T, s storedvalue.Store) {
			a := fullAccount()
			a.save(t, s, a.next("create:P1"))
			stored(t, s, a)
		}},
		{"Save", "UpdateReplacesTheWholeHeader", func(t *testing.T, s storedvalue.Store) {
			a := fullAccount()
			a.save(t, s, a.next("create:P1"))
			w := a.next("op:2")
			w.Account.Holder, w.Account.State = "", storedvalue.Issued
			w.Account.Punch.Remaining, w.Account.Punch.ValidUntil = 0, time.Time{}
			w.Account.HeldPaid, w.Account.HeldBonus, w.Account.Paid = 0, 0, 0
			w.Account.PINKey, w.Account.PINFailures = "", 0
			a.save(t, s, w)
			stored(t, s, a)
		}},
		{"Save", "StaleVersionIsConflictWritingNothing", func(t *testing.T, s storedvalue.Store) {
			a := create(t, s, "A1")
			stale := a.next("op:stale", paid("stale-part", 5, at(day)))
			a.save(t, s, a.next("op:2", paid("p2", 7, at(day))))
			err := s.Save(t.Context(), stale)
			require.ErrorIs(t, err, storedvalue.ErrConflict)
			requireNothingOf(t, s, stale, a)
		}},
		{"Save", "SkippedVersionIsConflictWritingNothing", func(t *testing.T, s storedvalue.Store) {
			a := create(t, s, "A1")
			w := a.next("op:skip", paid("skip", 5, at(day)))
			w.Account.Version++
			require.ErrorIs(t, s.Save(t.Context(), w), storedvalue.ErrConflict)
			requireNothingOf(t, s, w, a)
			fresh := wallet("A2")
			w = fresh.next("op:new")
			w.Account.Version = 2
			require.ErrorIs(t, s.Save(t.Context(), w), storedvalue.ErrConflict, "a new account starts at version 1")
		}},
		{"Save", "VersionIsCheckedBeforeTheOperationKey", func(t *testing.T, s storedvalue.Store) {
			a := create(t, s, "A1")
			stale := a.next("create:A1") // a key taken, on a stale version too
			a.save(t, s, a.next("op:2"))
			require.ErrorIs(t, s.Save(t.Context(), stale), storedvalue.ErrConflict)
		}},
		{"Save", "ReusedOperationKeyIsAlreadyExistsWritingNothing", func(t *testing.T, s storedvalue.Store) {
			a := create(t, s, "A1")
			b := create(t, s, "B1")
			for _, acct := range []*account{a, b} { // the same account and another
				w := acct.next("create:A1", paid(acct.hdr.ID+"-again", 9, at(day)))
				w.Operation.Hash = "h-again"
				require.ErrorIs(t, s.Save(t.Context(), w), storedvalue.ErrAlreadyExists)
				requireNothingOf(t, s, w, acct)
			}
			op, err := s.GetOperation(t.Context(), "create:A1")
			require.NoError(t, err)
			assert.Equal(t, "A1", op.AccountID, "the first record stands")
		}},
		{"Save", "TakenCodeKeyIsAlreadyExistsWritingNothing", func(t *testing.T, s storedvalue.Store) {
			g := wallet("G1")
			g.hdr.CodeKey = "k1"
			g.save(t, s, g.next("issue:G1"))
			h := wallet("G2")
			h.hdr.CodeKey = "k1"
			w := h.next("issue:G2", paid("g2", 1, at(0)))
			require.ErrorIs(t, s.Save(t.Context(), w), storedvalue.ErrAlreadyExists)
			_, err := s.GetAccount(t.Context(), "G2")
			require.ErrorIs(t, err, storedvalue.ErrNotFound)
			_, err = s.GetOperation(t.Context(), "issue:G2")
			require.ErrorIs(t, err, storedvalue.ErrNotFound)
			got, err := s.AccountByCode(t.Context(), "k1", "no-decoy")
			require.NoError(t, err)
			assert.Equal(t, "G1", got.ID)
			g.save(t, s, g.next("op:2")) // its own key again is no clash
		}},
		{"Save", "ConcurrentSameVersionOneWins", func(t *testing.T, s storedvalue.Store) {
			a := create(t, s, "A1")
			const n = 8
			errs := kit.Race(n, func(i int) error {
				return s.Save(t.Context(), a.next(fmt.Sprintf("race:%d", i), paid(fmt.Sprintf("race-%d", i), 1, at(day))))
			})
			win := kit.OneWinner(t, errs, storedvalue.ErrConflict)
			got, err := s.GetAccount(t.Context(), "A1")
			require.NoError(t, err)
			assert.Equal(t, a.hdr.Version+1, got.Version)
			assert.Len(t, entries(t, s, "A1", 0), 2, "one entry of the create, one of the winner %d", win)
		}},
		{"Save", "ConcurrentCreatesOfOneAccountOneWins", func(t *testing.T, s storedvalue.Store) {
			const n = 8
			errs := kit.Race(n, func(i int) error {
				a := wallet("A1")
				return s.Save(t.Context(), a.next(fmt.Sprintf("create:%d", i), paid(fmt.Sprintf("p%d", i), 1, at(0))))
			})
			kit.OneWinner(t, errs, storedvalue.ErrConflict)
			assert.Len(t, entries(t, s, "A1", 0), 1)
		}},
		{"Save", "ConcurrentUsesOfOneOperationKeyOneWins", func(t *testing.T, s storedvalue.Store) {
			const n = 8
			errs := kit.Race(n, func(i int) error {
				a := wallet(fmt.Sprintf("A%d", i))
				return s.Save(t.Context(), a.next("shared-key"))
			})
			kit.OneWinner(t, errs, storedvalue.ErrAlreadyExists)
		}},
	}
}

// fullAccount is a punch card with every header field set.
func fullAccount() *account {
	a := wallet("P1")
	a.hdr.Type, a.hdr.State, a.hdr.CodeKey = storedvalue.PunchCardAccount, storedvalue.Active, "code-key-P1"
	a.hdr.Paid, a.hdr.Bonus, a.hdr.HeldPaid, a.hdr.HeldBonus = 1, 2, 3, 4
	a.hdr.PINKey, a.hdr.PINFailures = "pin-key-P1", 3
	a.hdr.Punch = &storedvalue.Punch{Service: "car-wash", Total: 10, Remaining: 7, ValidFrom: at(0), ValidUntil: at(365 * day),
		Transfer: storedvalue.TransferUnused}
	return a
}

// requireNothingOf requires that the refused write w left no trace: the
// header is still a's, and w's parts, entries and operation are absent.
func requireNothingOf(t *testing.T, s storedvalue.Store, w storedvalue.Write, a *account) {
	t.Helper()
	stored(t, s, a)
	got, err := s.Parts(t.Context(), w.Account.ID, partIDs(w.Parts))
	require.NoError(t, err)
	assert.Empty(t, got, "parts of the refused write")
	assert.Empty(t, entries(t, s, w.Account.ID, a.hdr.Seq), "entries of the refused write")
	if w.Operation != nil {
		if op, err := s.GetOperation(t.Context(), w.Operation.Key); err == nil {
			assert.NotEqual(t, w.Account.ID+"|"+w.Operation.Hash, op.AccountID+"|"+op.Hash, "the refused write's operation")
		}
	}
}
