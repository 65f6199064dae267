package loyaltytest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadSpending loads every open lot into a partial ledger account, as the
// service does before a spend it cannot bound.
func loadSpending(ctx context.Context, s loyalty.Store, pts ledger.Account) (ledger.Account, error) {
	l := ledger.Loaded{SpendingAll: true}
	for lot, err := range s.SpendingLots(ctx, pts.ID()) {
		if err != nil {
			return pts, err
		}
		l.Spending = append(l.Spending, lot)
	}
	return pts.Load(l)
}

// racers is how many goroutines race each compare-and-set.
const racers = 16

func concurrencyRules() []rule {
	return []rule{
		{"Save", "ConcurrentSameVersionOneWins", raceSameVersion},
		{"Save", "ConcurrentCreatesOfOneAccountOneWins", raceCreate},
		{"Save", "ConcurrentUsesOfOneOperationKeyOneWins", raceOperationKey},
		{"Save", "ConcurrentRetriesAllLand", raceRetries},
		{"Save", "WriteIsAtomicForReaders", atomicForReaders},
		{"Store", "ConcurrentWritersAndReadersLoseNothing", parallelWriters},
	}
}

// requireLosersUnrecorded requires that no losing write's operation was
// recorded.
func requireLosersUnrecorded(t *testing.T, s loyalty.Store, writes []loyalty.Write, winner int) {
	t.Helper()
	for i, w := range writes {
		if i != winner {
			assertNoOperation(t, s, w.Operation.Key)
		}
	}
}

// raceSameVersion: 16 lanes read version 1 and each redeems for its own
// checkout; one wins, and only its entries and operation are stored.
func raceSameVersion(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 1000)
	m.save(t, s, w)
	writes := make([]loyalty.Write, racers)
	for i := range writes {
		id := fmt.Sprintf("checkout-%02d", i)
		writes[i] = m.next(t, "redeem:"+id, redeem(id, int64(10+i), at(time.Hour)))
		writes[i].Account.Tier.Tier = id
	}
	errs := kit.Race(racers, func(i int) error { return s.Save(t.Context(), writes[i]) })
	win := kit.OneWinner(t, errs, loyalty.ErrConflict)
	m.saved(writes[win])
	assertStored(t, s, m)
	assertOperation(t, s, writes[win].Operation)
	requireLosersUnrecorded(t, s, writes, win)
	require.NoError(t, invariantsHold(t, s, "M00001"))
}

// raceCreate: 16 lanes find no account for a new member and each creates
// it with its own first purchase.
func raceCreate(t *testing.T, s loyalty.Store) {
	writes := make([]loyalty.Write, racers)
	for i := range writes {
		m := newMember(t, "M00001")
		id := fmt.Sprintf("order-%02d", i)
		writes[i] = m.next(t, "earn:"+id, earn(id, int64(10+i), at(time.Duration(i)*time.Minute)))
	}
	errs := kit.Race(racers, func(i int) error { return s.Save(t.Context(), writes[i]) })
	win := kit.OneWinner(t, errs, loyalty.ErrConflict)
	m := newMember(t, "M00001")
	m.saved(writes[win])
	assertStored(t, s, m)
	requireLosersUnrecorded(t, s, writes, win)
	assert.Equal(t, []string{"M00001"}, memberIDs(kit.Collect(t, s.Accounts(t.Context(), ""))))
}

// raceOperationKey: 16 lanes replay one request against 16 different
// members; the key is recorded once and only the winner's account exists.
func raceOperationKey(t *testing.T, s loyalty.Store) {
	writes := make([]loyalty.Write, racers)
	for i := range writes {
		_, w := simpleWrite(t, memberID(i), int64(10+i))
		w.Operation.Key = "earn:shared-receipt"
		writes[i] = w
	}
	errs := kit.Race(racers, func(i int) error { return s.Save(t.Context(), writes[i]) })
	win := kit.OneWinner(t, errs, loyalty.ErrAlreadyExists)
	for i, w := range writes {
		if i == win {
			m := newMember(t, memberID(i))
			m.saved(w)
			assertStored(t, s, m)
			continue
		}
		assertAbsent(t, s, memberID(i))
	}
	assertOperation(t, s, writes[win].Operation)
	assert.Equal(t, []string{memberID(win)}, memberIDs(kit.Collect(t, s.Accounts(t.Context(), ""))))
}

// raceRetries has every lane read the account, redeem on it and retry on
// conflict, as the service does: every redemption lands, one version and
// one entry each, and the ledger adds up.
func raceRetries(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	m, w := simpleWrite(t, "M00001", 1000)
	m.save(t, s, w)
	const maxAttempts = 10 * racers * racers // far above what fair scheduling needs
	errs := kit.Race(racers, func(i int) error {
		id := fmt.Sprintf("checkout-%02d", i)
		for range maxAttempts {
			acct, err := s.GetAccount(ctx, "M00001")
			if err != nil {
				return err
			}
			if acct.Points, err = loadSpending(ctx, s, acct.Points); err != nil {
				return err
			}
			pts, entries, err := acct.Points.Redeem(id, int64(1+i), at(time.Hour))
			if err != nil {
				return err
			}
			acct.Points, acct.Version = pts, acct.Version+1
			op, err := newOperation("redeem:"+id, "M00001", acct)
			if err != nil {
				return err
			}
			w := loyalty.Write{Account: acct, Entries: entries, Operation: op}
			if w.Records, err = changes(&w); err != nil {
				return err
			}
			err = s.Save(ctx, w)
			if !errors.Is(err, loyalty.ErrConflict) {
				return err
			}
		}
		return fmt.Errorf("redemption %d: still conflicting after %d attempts", i, maxAttempts)
	})
	for i, err := range errs {
		require.NoErrorf(t, err, "goroutine %d", i)
	}
	acct, err := s.GetAccount(ctx, "M00001")
	require.NoError(t, err)
	assert.Equal(t, int64(1+racers), acct.Version, "one version step per redemption")
	assert.Equal(t, int64(1000-racers*(racers+1)/2), acct.Points.Available(at(time.Hour)))
	assert.Len(t, storedEntries(t, s, "M00001"), 1+racers)
	lots, err := s.Lots(ctx, "M00001", []string{"M00001-lot"})
	require.NoError(t, err)
	assert.Equal(t, []int64{1000 - racers*(racers+1)/2}, remaining(lots), "the lot every redemption drew from")
	for i := range racers {
		_, err := s.GetOperation(ctx, fmt.Sprintf("redeem:checkout-%02d", i))
		assert.NoErrorf(t, err, "redemption %d", i)
	}
	require.NoError(t, invariantsHold(t, s, "M00001"))
}

// atomicForReaders: while one lane writes, readers watch for each write's
// operation; once it is visible, the account version and the entries it
// wrote must be visible too, since the service replays a recorded
// operation without re-reading anything else.
func atomicForReaders(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	const writes = 40
	keys, ops := make([]string, writes), make([]ledgerOp, writes)
	for j := range writes {
		keys[j] = fmt.Sprintf("earn:atomic-%02d", j)
		ops[j] = earn(fmt.Sprintf("atomic-%02d", j), 1, at(time.Duration(j+1)*time.Minute))
	}
	planned := m.plan(t, keys, ops)
	var written atomic.Int64
	errs := kit.Race(4, func(i int) error {
		if i == 0 {
			defer written.Store(writes + 1)
			for _, w := range planned {
				if err := s.Save(ctx, w); err != nil {
					return err
				}
			}
			return nil
		}
		for j := 0; j < writes && written.Load() <= writes; {
			key := fmt.Sprintf("earn:atomic-%02d", j)
			op, err := s.GetOperation(ctx, key)
			if errors.Is(err, loyalty.ErrNotFound) {
				runtime.Gosched()
				continue
			}
			if err != nil {
				return err
			}
			acct, err := s.GetAccount(ctx, op.MemberID)
			if err != nil {
				return err
			}
			if acct.Version < int64(j+2) {
				return fmt.Errorf("operation %s visible with the account at version %d, before its write (version %d)", key, acct.Version, j+2)
			}
			n := 0
			for _, err := range s.Entries(ctx, op.MemberID, 0) {
				if err != nil {
					return err
				}
				n++
			}
			if n < j+2 {
				return fmt.Errorf("operation %s visible with %d entries, before its write's (entry %d)", key, n, j+2)
			}
			lots, err := s.Lots(ctx, op.MemberID, []string{fmt.Sprintf("atomic-%02d", j)})
			if err != nil {
				return err
			}
			if len(lots) == 0 {
				return fmt.Errorf("operation %s visible before the lot its write earned", key)
			}
			j++
		}
		return nil
	})
	for i, err := range errs {
		require.NoErrorf(t, err, "goroutine %d", i)
	}
	for _, w := range planned {
		m.saved(w)
	}
	assertStored(t, s, m)
}

// parallelWriters has goroutines write their own members' accounts while
// others read: every write lands, and no account's history mixes with
// another's.
func parallelWriters(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	const perWriter = 8
	members := make([]*member, racers)
	planned := make([][]loyalty.Write, racers)
	for i := range members {
		members[i] = newMember(t, memberID(i))
		keys, ops := make([]string, perWriter), make([]ledgerOp, perWriter)
		for j := range perWriter {
			id := fmt.Sprintf("%s-%d", memberID(i), j)
			keys[j], ops[j] = "earn:"+id, earn(id, int64(1+j), at(time.Duration(j)*time.Minute))
		}
		planned[i] = members[i].plan(t, keys, ops)
	}
	errs := kit.Race(racers, func(i int) error {
		if i%4 == 3 { // a reader
			for range perWriter {
				for a, err := range s.Accounts(ctx, "") {
					if err != nil {
						return err
					}
					for _, err := range s.Entries(ctx, a.MemberID, a.Points.Seq()-1) {
						if err != nil {
							return err
						}
					}
				}
			}
			return nil
		}
		for _, w := range planned[i] {
			if err := s.Save(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		require.NoErrorf(t, err, "goroutine %d", i)
	}
	var want []string
	for i, m := range members {
		if i%4 == 3 {
			assertAbsent(t, s, m.acct.MemberID)
			continue
		}
		want = append(want, m.acct.MemberID)
		for _, w := range planned[i] {
			m.saved(w)
		}
		assertStored(t, s, m)
		require.NoError(t, invariantsHold(t, s, m.acct.MemberID))
	}
	assert.Equal(t, want, memberIDs(kit.Collect(t, s.Accounts(ctx, ""))))
}
