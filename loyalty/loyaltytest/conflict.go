package loyaltytest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/require"
)

func conflictRules() []rule {
	return []rule{
		{"Save", "StaleVersionIsConflictWritingNothing", staleVersion},
		{"Save", "SkippedVersionIsConflictWritingNothing", skippedVersion},
		{"Save", "CreatingAnExistingAccountIsConflict", createExisting},
		{"Save", "UpdatingAMissingAccountIsConflict", updateMissing},
		{"Save", "VersionZeroIsConflict", versionZero},
		{"Save", "StaleVersionIsConflictBeforeAnyOtherRefusal", staleBeforeInvalid},
	}
}

// requireRefused requires err to match want and the store to hold what it
// held before: the member's account and entries as m says, and no record
// of the refused write's operation.
func requireRefused(t *testing.T, s loyalty.Store, err, want error, m *member, w loyalty.Write) {
	t.Helper()
	require.ErrorIs(t, err, want)
	assertStored(t, s, m)
	if w.Operation != nil {
		assertNoOperation(t, s, w.Operation.Key)
	}
}

// staleVersion: two lanes read version 1; the second write, also naming
// version 2, comes after the first.
func staleVersion(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	first := m.next(t, "redeem:lane-1", redeem("lane-1", 30, at(time.Hour)))
	second := m.next(t, "redeem:lane-2", redeem("lane-2", 80, at(time.Hour)))
	m.save(t, s, first)
	requireRefused(t, s, s.Save(t.Context(), second), loyalty.ErrConflict, m, second)

	// Older still: a write naming version 1 again.
	again := second
	again.Account = second.Account.Clone()
	again.Account.Version = 1
	requireRefused(t, s, s.Save(t.Context(), again), loyalty.ErrConflict, m, again)
}

func skippedVersion(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	skip := m.next(t, "redeem:r-1", redeem("r-1", 30, at(time.Hour)))
	skip.Account.Version = 3
	requireRefused(t, s, s.Save(t.Context(), skip), loyalty.ErrConflict, m, skip)
	// A later correct write still goes through.
	m.save(t, s, m.next(t, "redeem:r-1", redeem("r-1", 30, at(time.Hour))))
	assertStored(t, s, m)
}

// createExisting: two lanes both found no account and both create one.
func createExisting(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	other := newMember(t, "M00001")
	again := other.next(t, "earn:M00001:order-2", earn("lot-2", 5, at(time.Hour)))
	requireRefused(t, s, s.Save(t.Context(), again), loyalty.ErrConflict, m, again)
}

// updateMissing names a version of an account that does not exist.
func updateMissing(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	w.Account.Version = 2
	require.ErrorIs(t, s.Save(t.Context(), w), loyalty.ErrConflict)
	assertAbsent(t, s, m.acct.MemberID)
	assertNoOperation(t, s, w.Operation.Key)
	require.Empty(t, kit.Collect(t, s.Accounts(t.Context(), "")), "Accounts lists a refused account")
}

func versionZero(t *testing.T, s loyalty.Store) {
	_, w := simpleWrite(t, "M00001", 100)
	w.Account.Version = 0
	require.ErrorIs(t, s.Save(t.Context(), w), loyalty.ErrConflict, "no stored version is -1")
	assertAbsent(t, s, "M00001")
	assertNoOperation(t, s, w.Operation.Key)
}

// staleBeforeInvalid: a write built on records read across another write
// can carry an impossible header; naming a stale version, it is the
// conflict it is (so the service reads again), not an invalid write.
func staleBeforeInvalid(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 100)
	m.save(t, s, w)
	m.save(t, s, m.next(t, "redeem:lane-1", redeem("lane-1", 30, at(time.Hour))))
	torn := w
	torn.Account.Version = 2
	torn.Account.Points = ledger.Account{} // no ID, no header: what no valid write holds
	torn.Operation = nil
	err := s.Save(t.Context(), torn)
	requireRefused(t, s, err, loyalty.ErrConflict, m, torn)
}
