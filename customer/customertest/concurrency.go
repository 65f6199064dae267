package customertest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/kit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// racers is how many goroutines race each compare-and-set.
const racers = 16

func concurrencyRules() []rule {
	return []rule{
		{"UpdateCustomer", "ConcurrentSameVersionOneWins", raceUpdate},
		{"UpdateCustomer", "ConcurrentClaimsOfOneIdentityOneWins", raceUpdateIdentity},
		{"CreateCustomer", "ConcurrentSameIDOneWins", raceCreateID},
		{"CreateCustomer", "ConcurrentSameIdentityOneWins", raceCreateIdentity},
		{"AddReturn", "ConcurrentSameVersionOneWins", raceReturn},
		{"AddReturn", "ConcurrentRetriesEachAddOneVersion", raceReturnRetries},
		{"Store", "ConcurrentWritersAndReadersLoseNothing", parallelWriters},
	}
}

func raceUpdate(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.CreateCustomer(ctx, newCustomer("c-1", phone(1))))
	updates := make([]customer.Customer, racers)
	for i := range updates {
		c := newCustomer("c-1", phone(1), member(i)) // each claims an identity of its own too
		c.Version, c.Name, c.Tags = 2, fmt.Sprintf("Writer %d", i), []string{fmt.Sprintf("w%02d", i)}
		updates[i] = c
	}
	errs := kit.Race(racers, func(i int) error { return s.UpdateCustomer(ctx, updates[i]) })
	w := kit.OneWinner(t, errs, customer.ErrConflict)

	got, err := s.GetCustomer(ctx, "c-1")
	require.NoError(t, err)
	assertCustomer(t, updates[w], got)
	for i := range racers {
		holder, err := s.CustomerByIdentity(ctx, member(i))
		if i == w {
			require.NoError(t, err)
			assert.Equal(t, "c-1", holder.ID)
			continue
		}
		assert.ErrorIsf(t, err, customer.ErrNotFound, "the identity of losing writer %d was claimed", i)
	}
}

func raceUpdateIdentity(t *testing.T, s customer.Store) {
	ctx := t.Context()
	updates := make([]customer.Customer, racers)
	for i := range racers {
		c := newCustomer(fmt.Sprintf("c-%02d", i), member(i))
		require.NoError(t, s.CreateCustomer(ctx, c))
		c.Version = 2
		c.Identities = append(c.Identities, phone(1)) // everyone wants the same phone
		updates[i] = c
	}
	errs := kit.Race(racers, func(i int) error { return s.UpdateCustomer(ctx, updates[i]) })
	w := kit.OneWinner(t, errs, customer.ErrIdentityTaken)

	holder, err := s.CustomerByIdentity(ctx, phone(1))
	require.NoError(t, err)
	assert.Equal(t, updates[w].ID, holder.ID)
	for i := range racers {
		got, err := s.GetCustomer(ctx, updates[i].ID)
		require.NoError(t, err)
		if i == w {
			assertCustomer(t, updates[i], got)
		} else {
			assert.Equalf(t, int64(1), got.Version, "losing customer %d was written", i)
		}
	}
}

func raceCreateID(t *testing.T, s customer.Store) {
	ctx := t.Context()
	errs := kit.Race(racers, func(i int) error {
		return s.CreateCustomer(ctx, newCustomer("c-1", member(i)))
	})
	w := kit.OneWinner(t, errs, customer.ErrAlreadyExists)

	for i := range racers {
		holder, err := s.CustomerByIdentity(ctx, member(i))
		if i == w {
			require.NoError(t, err)
			assertCustomer(t, newCustomer("c-1", member(i)), holder)
			continue
		}
		assert.ErrorIsf(t, err, customer.ErrNotFound, "the identity of losing creator %d was claimed", i)
	}
	assert.Equal(t, []string{"c-1"}, customerIDs(kit.Collect(t, s.Customers(ctx))))
}

func raceCreateIdentity(t *testing.T, s customer.Store) {
	ctx := t.Context()
	ids := make([]string, racers)
	errs := kit.Race(racers, func(i int) error {
		ids[i] = fmt.Sprintf("c-%02d", i)
		return s.CreateCustomer(ctx, newCustomer(ids[i], email(i), phone(1)))
	})
	w := kit.OneWinner(t, errs, customer.ErrIdentityTaken)

	holder, err := s.CustomerByIdentity(ctx, phone(1))
	require.NoError(t, err)
	assert.Equal(t, ids[w], holder.ID)
	assert.Equal(t, []string{ids[w]}, customerIDs(kit.Collect(t, s.Customers(ctx))))
	for i := range racers {
		if i == w {
			continue
		}
		_, err := s.GetCustomer(ctx, ids[i])
		assert.ErrorIsf(t, err, customer.ErrNotFound, "losing creator %d was written", i)
		_, err = s.CustomerByIdentity(ctx, email(i))
		assert.ErrorIsf(t, err, customer.ErrNotFound, "the email of losing creator %d was claimed", i)
	}
}

func raceReturn(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	returns := make([]customer.ReturnRecord, racers)
	for i := range returns {
		returns[i] = newReturn(fmt.Sprintf("r-%02d", i), "p-1", "c-1", at(time.Hour+time.Duration(i)*time.Minute))
	}
	errs := kit.Race(racers, func(i int) error { return s.AddReturn(ctx, returns[i], 1) })
	w := kit.OneWinner(t, errs, customer.ErrConflict)

	p, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), p.Version, "one return, one version step")
	assert.Equal(t, []string{returns[w].Return.ID}, returnIDs(kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-1"))))
	assert.Equal(t, []string{returns[w].Return.ID}, returnIDs(allReturns(t, s)))
}

// raceReturnRetries has every goroutine read the version and retry on
// conflict, as the service does: all must get through, one version step
// each, with no return lost.
func raceReturnRetries(t *testing.T, s customer.Store) {
	ctx := t.Context()
	require.NoError(t, s.AddPurchase(ctx, newPurchase("p-1", "c-1", at(0))))
	const maxAttempts = 10 * racers * racers // far above what fair scheduling needs
	errs := kit.Race(racers, func(i int) error {
		r := newReturn(fmt.Sprintf("r-%02d", i), "p-1", "c-1", at(time.Hour+time.Duration(i)*time.Minute))
		for range maxAttempts {
			p, err := s.GetPurchase(ctx, "p-1")
			if err != nil {
				return err
			}
			err = s.AddReturn(ctx, r, p.Version)
			if !errors.Is(err, customer.ErrConflict) {
				return err
			}
		}
		return fmt.Errorf("return %d: still conflicting after %d attempts", i, maxAttempts)
	})
	for i, err := range errs {
		require.NoErrorf(t, err, "goroutine %d", i)
	}
	p, err := s.GetPurchase(ctx, "p-1")
	require.NoError(t, err)
	assert.Equal(t, int64(1+racers), p.Version, "one version step per return")
	assert.Len(t, kit.Collect(t, s.ReturnsOfPurchase(ctx, "p-1")), racers)
}

// parallelWriters has goroutines write disjoint records through every
// write method while others read, then checks that every write landed: a
// store that is not safe for concurrent use loses some, corrupts an index,
// or trips the race detector.
func parallelWriters(t *testing.T, s customer.Store) {
	ctx := t.Context()
	const perWriter = 8
	errs := kit.Race(racers, func(i int) error {
		if i%4 == 3 { // a reader
			for range perWriter {
				for _, err := range s.Customers(ctx) {
					if err != nil {
						return err
					}
				}
				for _, err := range s.PurchasesBetween(ctx, at(-time.Hour), at(time.Hour)) {
					if err != nil {
						return err
					}
				}
			}
			return nil
		}
		id := fmt.Sprintf("c-%02d", i)
		c := newCustomer(id, member(i))
		if err := s.CreateCustomer(ctx, c); err != nil {
			return err
		}
		for j := range perWriter {
			pid := fmt.Sprintf("p-%02d-%d", i, j)
			// Every writer's purchases share the same few instants.
			if err := s.AddPurchase(ctx, newPurchase(pid, id, at(time.Duration(j)*time.Minute))); err != nil {
				return err
			}
			if err := s.AddReturn(ctx, newReturn("r-"+pid, pid, id, at(time.Duration(j)*time.Minute)), 1); err != nil {
				return err
			}
			if err := s.AddInteraction(ctx, newInteraction("i-"+pid, id, at(time.Duration(j)*time.Minute))); err != nil {
				return err
			}
			c.Version++
			c.Tags = []string{fmt.Sprintf("t%d", j)}
			if err := s.UpdateCustomer(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	for i, err := range errs {
		require.NoErrorf(t, err, "goroutine %d", i)
	}
	writers := 0
	for i := range racers {
		if i%4 == 3 {
			continue
		}
		writers++
		id := fmt.Sprintf("c-%02d", i)
		c, err := s.GetCustomer(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, int64(1+perWriter), c.Version, "version of %s", id)
		assert.Len(t, kit.Collect(t, s.PurchasesOf(ctx, id)), perWriter, "purchases of %s", id)
		assert.Len(t, kit.Collect(t, s.ReturnsOf(ctx, id)), perWriter, "returns of %s", id)
		assert.Len(t, kit.Collect(t, s.InteractionsOf(ctx, id)), perWriter, "interactions of %s", id)
	}
	assert.Len(t, kit.Collect(t, s.Customers(ctx)), writers)
	assert.Len(t, allPurchases(t, s), writers*perWriter)
	assert.Len(t, allReturns(t, s), writers*perWriter)
}
