package customer_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hookPoint is a place in the detach step of a merge where raceStore stops
// the merge that reaches it.
type hookPoint int

const (
	beforeDetach hookPoint = iota // read both customers, about to detach
	afterDetach                   // detached, about to look for a cycle
	beforeUndo                    // found a cycle, about to undo
	afterUndo                     // undone, the duplicate is free again
	hookPoints
)

// raceStore makes two opposite merges race in an order the test chooses:
// the merge of a into b (party 0) and the merge of b into a (party 1). It
// recognises their detach and undo writes by what they change, and stops
// each party at a hook point until the other has reached the point the
// schedule names (or, with bothLose, the same point), so the race is
// played the same way every run.
type raceStore struct {
	customer.Store
	a, b     string
	bothLose bool // both merges see the cycle; else the merge of a loses

	once    [hookPoints][2]sync.Once
	reached [hookPoints][2]chan struct{}
}

func newRaceStore(a, b string, bothLose bool) *raceStore {
	s := &raceStore{Store: customer.NewMemoryStore(), a: a, b: b, bothLose: bothLose}
	for p := range s.reached {
		for party := range s.reached[p] {
			s.reached[p][party] = make(chan struct{})
		}
	}
	return s
}

// at marks that party reached p and waits, the first time only, for what
// the schedule says must happen first.
func (s *raceStore) at(p hookPoint, party int) error {
	var err error
	s.once[p][party].Do(func() {
		close(s.reached[p][party])
		other := 1 - party
		switch {
		case p == beforeDetach || s.bothLose:
			err = s.wait(p, other) // both read before either writes, and so on
		case p == afterDetach && party == 0:
			err = s.wait(afterDetach, 1) // the loser looks for the cycle once it is there
		case p == afterDetach && party == 1:
			err = s.wait(afterUndo, 0) // the winner looks once the loser has undone
		}
	})
	return err
}

func (s *raceStore) wait(p hookPoint, party int) error {
	select {
	case <-s.reached[p][party]:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("race schedule: party %d never reached point %d", party, p)
	}
}

func (s *raceStore) party(id string) int {
	switch id {
	case s.a:
		return 0
	case s.b:
		return 1
	}
	return -1
}

func (s *raceStore) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	party := s.party(c.ID)
	if party < 0 {
		return s.Store.UpdateCustomer(ctx, c)
	}
	stored, err := s.Store.GetCustomer(ctx, c.ID)
	if err != nil {
		return err
	}
	before, after := beforeDetach, afterDetach
	switch {
	case stored.MergedInto == "" && c.MergedInto != "":
	case stored.MergedInto != "" && c.MergedInto == "":
		before, after = beforeUndo, afterUndo
	default:
		return s.Store.UpdateCustomer(ctx, c)
	}
	if err := s.at(before, party); err != nil {
		return err
	}
	if err := s.Store.UpdateCustomer(ctx, c); err != nil {
		return err
	}
	return s.at(after, party)
}

// raceOpposite merges a into b and b into a at once, in the order store
// schedules, and returns their errors.
func raceOpposite(shop *customer.Service, a, b string) (aIntoB, bIntoA error) {
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Go(func() { _, aIntoB = shop.Merge(ctx, b, a, customer.MergeRequest{Actor: "lane-1"}) })
	wg.Go(func() { _, bIntoA = shop.Merge(ctx, a, b, customer.MergeRequest{Actor: "lane-2"}) })
	wg.Wait()
	return aIntoB, bIntoA
}

// racingShop returns a shop over a raceStore for its first two customers,
// registered here as a (phone) and b (email), and a third, c, with a
// member number.
func racingShop(t *testing.T, bothLose bool) (shop *customer.Service, store *raceStore, a, b, c customer.Customer) {
	t.Helper()
	n := 0
	store = newRaceStore("c1", "c2", bothLose)
	shop = customer.NewService(store, &customer.Options{
		NewID: func() string { n++; return fmt.Sprint("c", n) },
		Clock: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) },
	})
	a = register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
	b = register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"})
	c = register(t, shop, customer.Registration{Profile: customer.Profile{Name: "C"}, MemberNumber: "M-3"})
	require.Equal(t, []string{"c1", "c2"}, []string{a.ID, b.ID})
	return shop, store, a, b, c
}

// attempts returns the duplicate's merge attempts as "survivor#attempt",
// with "abandoned" after the ones that are.
func attempts(t *testing.T, s customer.Store, duplicate string) []string {
	t.Helper()
	ms, err := s.MergeAttempts(context.Background(), duplicate)
	require.NoError(t, err)
	var out []string
	for _, m := range ms {
		assert.Equal(t, duplicate, m.Duplicate)
		d := fmt.Sprintf("%s#%d", m.Survivor, m.Attempt)
		if m.Abandoned() {
			d += " abandoned"
		}
		out = append(out, d)
	}
	return out
}

// A merge that lost the race in opposite directions used to leave its
// audit record in force: the loser could then be merged nowhere (another
// survivor was ErrIdempotencyMismatch, the recorded one ErrMerged). Now the
// record is kept, marked abandoned, and the loser merges into a third
// customer as a second attempt.
func TestLostMergeDoesNotBlockLaterMerges(t *testing.T) {
	ctx := context.Background()
	shop, store, a, b, c := racingShop(t, false)

	lost, won := raceOpposite(shop, a.ID, b.ID)
	require.ErrorIs(t, lost, customer.ErrConflict, "a into b saw the cycle and undid")
	require.NoError(t, won, "b into a found a undone and won")

	// The loser is whole again, and its attempt is on record as abandoned.
	loser, err := store.GetCustomer(ctx, a.ID)
	require.NoError(t, err)
	assert.Empty(t, loser.MergedInto)
	assert.Len(t, loser.Identities, 2, "a has its phone back, and b's email came with b")
	assert.Empty(t, loser.MovedIdentities)
	assert.Equal(t, 1, loser.AbandonedMerge)
	rec, err := store.GetMerge(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, b.ID, rec.Survivor)
	assert.Equal(t, "lane-1", rec.Actor)
	assert.True(t, rec.AbandonedAt.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), "abandoned at the service clock")
	assert.Equal(t, []string{"c2#1 abandoned"}, attempts(t, store, a.ID))
	assert.Equal(t, []string{"c1#1"}, attempts(t, store, b.ID))

	// Replays: the lost merge stays lost (its survivor is merged now) and
	// writes no new attempt; the winner's replay returns its record.
	_, err = shop.Merge(ctx, b.ID, a.ID, customer.MergeRequest{Actor: "lane-1"})
	assert.ErrorIs(t, err, customer.ErrMerged)
	again, err := shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "lane-2"})
	require.NoError(t, err)
	assert.Equal(t, 1, again.Attempt)
	assert.Equal(t, []string{"c2#1 abandoned"}, attempts(t, store, a.ID))

	// The loser merges into a third customer, as its second attempt.
	m, err := shop.Merge(ctx, c.ID, a.ID, customer.MergeRequest{Actor: "staff", Reason: "same person"})
	require.NoError(t, err)
	assert.Equal(t, 2, m.Attempt)
	assert.Equal(t, []string{"c2#1 abandoned", "c3#2"}, attempts(t, store, a.ID))
	for _, id := range []string{a.ID, b.ID} {
		got, err := shop.Get(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, c.ID, got.ID, "%s resolves to the last survivor", id)
	}
	found, err := shop.FindByIdentity(ctx, customer.IdentityPhone, "13800138000")
	require.NoError(t, err)
	assert.Equal(t, c.ID, found.ID, "a's phone moved to c")

	// And that merge replays like any other; a different survivor is refused.
	again, err = shop.Merge(ctx, c.ID, a.ID, customer.MergeRequest{Actor: "staff"})
	require.NoError(t, err)
	assert.Equal(t, m, again)
	_, err = shop.Merge(ctx, b.ID, a.ID, customer.MergeRequest{Actor: "staff"})
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)
	assert.Equal(t, []string{"c2#1 abandoned", "c3#2"}, attempts(t, store, a.ID))
}

// With a linearizable store both opposite merges may see the cycle and
// undo: both attempts are abandoned, and a retry of either settles it.
func TestOppositeMergesBothLoseThenRetrySettles(t *testing.T) {
	ctx := context.Background()
	shop, store, a, b, _ := racingShop(t, true)

	aIntoB, bIntoA := raceOpposite(shop, a.ID, b.ID)
	require.ErrorIs(t, aIntoB, customer.ErrConflict)
	require.ErrorIs(t, bIntoA, customer.ErrConflict)
	assert.Equal(t, []string{"c2#1 abandoned"}, attempts(t, store, a.ID))
	assert.Equal(t, []string{"c1#1 abandoned"}, attempts(t, store, b.ID))

	m, err := shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "lane-2"})
	require.NoError(t, err, "the retry of b into a")
	assert.Equal(t, 2, m.Attempt)
	assert.Equal(t, []string{"c1#1 abandoned", "c1#2"}, attempts(t, store, b.ID))
	got, err := shop.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	_, err = shop.Merge(ctx, b.ID, a.ID, customer.MergeRequest{Actor: "lane-1"})
	assert.ErrorIs(t, err, customer.ErrMerged, "the other retry finds its survivor merged")
	assert.Equal(t, []string{"c2#1 abandoned"}, attempts(t, store, a.ID))
}

// failAbandon fails AbandonMerge once: a crash between undoing a lost
// merge and marking its record.
type failAbandon struct {
	*raceStore
	failed bool
}

func (s *failAbandon) AbandonMerge(ctx context.Context, duplicate string, attempt int, at time.Time) error {
	if !s.failed {
		s.failed = true
		return errors.New("connection lost")
	}
	return s.raceStore.AbandonMerge(ctx, duplicate, attempt, at)
}

// If the loser undoes its detach but its record is not marked abandoned
// (the process dies in between), the duplicate's AbandonedMerge, written
// with the undo, lets the next merge mark the record and go on.
func TestLostMergeCutShortBeforeItsRecordIsMarked(t *testing.T) {
	ctx := context.Background()
	_, race, a, b, c := racingShop(t, false)
	store := &failAbandon{raceStore: race}
	shop := customer.NewService(store, &customer.Options{
		Clock: func() time.Time { return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC) },
	})

	lost, won := raceOpposite(shop, a.ID, b.ID)
	require.ErrorIs(t, lost, customer.ErrConflict)
	require.NoError(t, won)
	assert.Equal(t, []string{"c2#1"}, attempts(t, store, a.ID), "the record was not marked")

	m, err := shop.Merge(ctx, c.ID, a.ID, customer.MergeRequest{Actor: "staff"})
	require.NoError(t, err)
	assert.Equal(t, 2, m.Attempt)
	assert.Equal(t, []string{"c2#1 abandoned", "c3#2"}, attempts(t, store, a.ID))
	got, err := shop.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID)
}

// hookAfterAddMerge runs then once, right after the first merge record of
// duplicate is stored.
type hookAfterAddMerge struct {
	customer.Store
	duplicate string
	then      func()
}

func (s *hookAfterAddMerge) AddMerge(ctx context.Context, m customer.MergeRecord) error {
	err := s.Store.AddMerge(ctx, m)
	if err == nil && m.Duplicate == s.duplicate && s.then != nil {
		then := s.then
		s.then = nil
		then()
	}
	return err
}

// The opposite merge may also win outright between the loser's record and
// its detach: the loser finds its survivor merged, detaches nothing, and
// its attempt is abandoned all the same.
func TestMergeWhoseSurvivorWasMergedFirstIsAbandoned(t *testing.T) {
	ctx := context.Background()
	store := &hookAfterAddMerge{Store: customer.NewMemoryStore()}
	shop := customer.NewService(store, nil)
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"})
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "C"}, MemberNumber: "M-3"})
	var won error
	store.duplicate = a.ID
	store.then = func() { _, won = shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "lane-2"}) }

	_, err := shop.Merge(ctx, b.ID, a.ID, customer.MergeRequest{Actor: "lane-1"})
	require.ErrorIs(t, err, customer.ErrMerged)
	require.NoError(t, won)
	ms, err := store.MergeAttempts(ctx, a.ID)
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.True(t, ms[0].Abandoned())
	assert.Equal(t, b.ID, ms[0].Survivor)

	m, err := shop.Merge(ctx, c.ID, a.ID, customer.MergeRequest{Actor: "staff"})
	require.NoError(t, err)
	assert.Equal(t, 2, m.Attempt)
	got, err := shop.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, c.ID, got.ID, "b, merged into a, follows a into c")
}
