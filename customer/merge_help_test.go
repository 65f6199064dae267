package customer_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// absorbMeetsLoserStore plays the interleaving behind issue 20: the merge
// of b into a (the winner) detaches b and commits; only then does the
// opposite merge of a into b (the loser), which read both customers
// before, detach a; and the winner reaches its absorb step while a is
// still detached, before the loser has looked for the cycle and undone.
// The loser is held after its detach until the winner has returned.
type absorbMeetsLoserStore struct {
	customer.Store
	a, b                         string
	winnerCommitted, loserDetach chan struct{}
	winnerDone                   chan struct{}
}

func (s *absorbMeetsLoserStore) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	stored, err := s.Store.GetCustomer(ctx, c.ID)
	if err != nil {
		return err
	}
	select {
	case <-s.winnerDone: // the race is over
		return s.Store.UpdateCustomer(ctx, c)
	default:
	}
	switch {
	case c.ID == s.a && stored.MergedInto == "" && c.MergedInto != "": // the loser detaches a
		if err := wait(s.winnerCommitted); err != nil {
			return err
		}
		err := s.Store.UpdateCustomer(ctx, c)
		close(s.loserDetach)
		if err != nil {
			return err
		}
		return wait(s.winnerDone)
	case c.ID == s.b && stored.CommittedMerge == 0 && c.CommittedMerge != 0: // the winner commits b
		err := s.Store.UpdateCustomer(ctx, c)
		close(s.winnerCommitted)
		if err != nil {
			return err
		}
		return wait(s.loserDetach)
	}
	return s.Store.UpdateCustomer(ctx, c)
}

func wait(ch chan struct{}) error {
	select {
	case <-ch:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("race schedule: the other merge never got there")
	}
}

// The winner of two opposite merges used to fail its absorb step with
// ErrMerged when the loser had detached the survivor for a moment: the
// duplicate stayed detached with its identities parked, the survivor was
// whole again once the loser undid, and when the survivor was then merged
// into a third customer the duplicate's email was found nowhere. The
// winner now decides the loser's detach itself (a cycle: it is undone)
// and completes.
func TestWinnerCompletesThoughTheLoserDetachedItsSurvivor(t *testing.T) {
	ctx := context.Background()
	store := &absorbMeetsLoserStore{Store: customer.NewMemoryStore(),
		winnerCommitted: make(chan struct{}), loserDetach: make(chan struct{}), winnerDone: make(chan struct{})}
	shop := customer.NewService(store, nil)
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"})
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "C"}, MemberNumber: "M-3"})
	store.a, store.b = a.ID, b.ID

	var loserErr error
	var wg sync.WaitGroup
	wg.Go(func() { _, loserErr = shop.Merge(ctx, b.ID, a.ID, customer.MergeRequest{Actor: "lane-1"}) })
	<-time.After(10 * time.Millisecond) // the loser reads both customers first
	_, winnerErr := shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "lane-2"})
	close(store.winnerDone)
	wg.Wait()
	require.NoError(t, winnerErr, "the winner completes")
	require.ErrorIs(t, loserErr, customer.ErrConflict, "the loser finds it lost")

	survivor, err := store.GetCustomer(ctx, a.ID)
	require.NoError(t, err)
	assert.Empty(t, survivor.MergedInto)
	assert.Len(t, survivor.Identities, 2, "a keeps its phone and has b's email")
	assert.Empty(t, survivor.MovedIdentities)
	assert.Equal(t, []string{b.ID + "#1 abandoned"}, attempts(t, store, a.ID))

	_, err = shop.Merge(ctx, c.ID, a.ID, customer.MergeRequest{Actor: "staff"})
	require.NoError(t, err)
	for _, id := range []struct {
		kind customer.IdentityKind
		raw  string
	}{{customer.IdentityPhone, "13800138000"}, {customer.IdentityEmail, "b@example.com"}} {
		got, err := shop.FindByIdentity(ctx, id.kind, id.raw)
		require.NoError(t, err, "an identity was lost")
		assert.Equal(t, c.ID, got.ID)
	}
}
