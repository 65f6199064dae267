package customer_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func countCustomers(t *testing.T, shop *customer.Service) int {
	t.Helper()
	n := 0
	for _, err := range shop.Store().Customers(context.Background()) {
		require.NoError(t, err)
		n++
	}
	return n
}

func TestRegisterReplayReturnsTheCustomerItCreated(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	w := shop.Writes()
	r := customer.Registration{Profile: customer.Profile{Name: "Lin Mei"}, Phone: "13800138000", RequestID: "lane3-0001"}
	first, err := w.Register(ctx, r)
	require.NoError(t, err)
	require.Len(t, first.Events, 1)
	assert.Equal(t, customer.EventRegistered, first.Events[0].Type)

	// The lane timed out and retries: the same customer and event, not
	// ErrIdentityTaken; the phone typed differently is the same request.
	r.Phone = "+86 138 0013 8000"
	again, err := w.Register(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, first.Customer.ID, again.Customer.ID)
	assert.Equal(t, first.Events, again.Events)
	assert.Equal(t, 1, countCustomers(t, shop))

	// The old signature replays too.
	c, err := shop.Register(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, first.Customer.ID, c.ID)

	// A different registration under the same ID.
	r.Profile.Name = "Wang Fang"
	_, err = w.Register(ctx, r)
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)
	assert.Equal(t, 1, countCustomers(t, shop))
}

func TestForcedRegistrationWithoutContactReplaysOnce(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	r := customer.Registration{Profile: customer.Profile{Name: "Walk-in"}, Force: true, RequestID: "lane1-42"}
	var wg sync.WaitGroup
	ids := make([]string, 8)
	errs := make([]error, 8)
	for i := range ids {
		wg.Go(func() {
			c, err := shop.Register(ctx, r)
			ids[i], errs[i] = c.ID, err
		})
	}
	wg.Wait()
	for i := range ids {
		require.NoError(t, errs[i])
		assert.Equal(t, ids[0], ids[i])
	}
	assert.Equal(t, 1, countCustomers(t, shop), "replays must not create a second person")
}

func TestRegisterReplayAfterErasureIsRefused(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	r := customer.Registration{Profile: customer.Profile{Name: "Lin"}, Email: "lin@example.com", RequestID: "r1"}
	c := register(t, shop, r)
	require.NoError(t, shop.Erase(ctx, c.ID, customer.EraseRequest{Actor: "dpo"}))
	_, err := shop.Register(ctx, r)
	assert.ErrorIs(t, err, customer.ErrErased)
}

func TestRegisterRequestIDValidated(t *testing.T) {
	shop := newShop()
	for _, id := range []string{"r\x001", "r\n1", string(make([]byte, 129))} {
		_, err := shop.Register(context.Background(), customer.Registration{Profile: customer.Profile{Name: "Lin"}, RequestID: id})
		assert.ErrorIs(t, err, customer.ErrInvalid)
		assert.Contains(t, fieldsOf(err), "requestId")
	}
}

func TestConsentReplayAppendsNothing(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	shop := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: func() time.Time { return now }})
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Lin"}})
	w := shop.Writes()
	req := customer.ConsentRequest{Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS, Source: "pos:sh-01", RequestID: "lane3-c1"}
	first, err := w.GrantConsent(ctx, c.ID, req)
	require.NoError(t, err)
	now = now.Add(time.Minute) // the retry comes later; At defaulted to the clock
	again, err := w.GrantConsent(ctx, c.ID, req)
	require.NoError(t, err)
	assert.Equal(t, first.Customer.Version, again.Customer.Version, "a replay writes nothing")
	require.Len(t, again.Customer.Consents, 1)
	assert.Len(t, again.Customer.Consents[0].History, 1)
	assert.Equal(t, first.Events, again.Events)

	// The same ID withdrawing, or with another source, is a different request.
	_, err = w.WithdrawConsent(ctx, c.ID, req)
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)
	other := req
	other.Source = "app"
	_, err = shop.GrantConsent(ctx, c.ID, other)
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)

	// Withdrawal under its own ID replays the same way.
	wreq := req
	wreq.RequestID = "lane3-c2"
	_, err = shop.WithdrawConsent(ctx, c.ID, wreq)
	require.NoError(t, err)
	got, err := shop.WithdrawConsent(ctx, c.ID, wreq)
	require.NoError(t, err)
	assert.Len(t, got.Consents[0].History, 2)
}

func TestUpdateProfileReplayReturnsResult(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Old"}})
	p := c.Profile
	p.Name = "New"
	first, err := shop.Writes().UpdateProfile(ctx, c.ID, c.Version, p)
	require.NoError(t, err)
	again, err := shop.Writes().UpdateProfile(ctx, c.ID, c.Version, p)
	require.NoError(t, err)
	assert.Equal(t, first.Customer.Version, again.Customer.Version)
	assert.Equal(t, first.Events[0].Type, again.Events[0].Type)
	assert.Equal(t, first.Events[0].Version, again.Events[0].Version)
}

// Every customer.Service write returns events a host can publish, with
// no personal data in their String or LogValue, and replays return them
// again.
func TestEveryWriteReturnsEvents(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	w := shop.Writes()
	secrets := []string{"Lin Mei", "13800138000", "lin@example.com", "Wang Fang", "vip-secret-tag"}

	reg, err := w.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Mei"}, Phone: "13800138000", RequestID: "r1"})
	require.NoError(t, err)
	id := reg.Customer.ID
	dup, err := w.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Wang Fang"}, Force: true})
	require.NoError(t, err)

	var all []customer.Event
	collect := func(want customer.EventType, ch customer.Change, err error) {
		t.Helper()
		require.NoError(t, err)
		require.Len(t, ch.Events, 1)
		assert.Equal(t, want, ch.Events[0].Type)
		assert.Equal(t, ch.Customer.ID, ch.Events[0].CustomerID)
		assert.Equal(t, ch.Customer.Version, ch.Events[0].Version)
		assert.False(t, ch.Events[0].At.IsZero())
		all = append(all, ch.Events...)
	}
	collect(customer.EventRegistered, reg, nil)
	ch, err := w.UpdateProfile(ctx, id, reg.Customer.Version, customer.Profile{Name: "Lin Mei", Gender: customer.GenderFemale})
	collect(customer.EventProfileUpdated, ch, err)
	ch, err = w.SetPreferences(ctx, id, customer.Preferences{Language: "zh-Hans"})
	collect(customer.EventPreferencesSet, ch, err)
	consent := customer.ConsentRequest{Purpose: customer.PurposeMarketing, Channel: customer.ContactEmail, Source: "app"}
	ch, err = w.GrantConsent(ctx, id, consent)
	collect(customer.EventConsentGranted, ch, err)
	assert.Equal(t, customer.PurposeMarketing, ch.Events[0].Purpose)
	ch, err = w.WithdrawConsent(ctx, id, consent)
	collect(customer.EventConsentWithdrawn, ch, err)
	ch, err = w.Tag(ctx, id, "vip-secret-tag")
	collect(customer.EventTagged, ch, err)
	assert.Equal(t, []string{"vip-secret-tag"}, ch.Events[0].Tags)
	ch, err = w.Untag(ctx, id, "vip-secret-tag")
	collect(customer.EventUntagged, ch, err)
	ch, err = w.AddIdentity(ctx, id, customer.IdentityEmail, "lin@example.com", false)
	collect(customer.EventIdentityAdded, ch, err)
	assert.Equal(t, customer.IdentityEmail, ch.Events[0].IdentityKind)
	ch, err = w.RemoveIdentity(ctx, id, customer.IdentityEmail, "lin@example.com")
	collect(customer.EventIdentityRemoved, ch, err)

	rec, evs, err := w.Merge(ctx, id, dup.Customer.ID, customer.MergeRequest{Actor: "staff-1"})
	require.NoError(t, err)
	require.Len(t, evs, 1)
	assert.Equal(t, customer.Event{Type: customer.EventMerged, CustomerID: id, Duplicate: dup.Customer.ID, At: rec.At}, evs[0])
	_, again, err := w.Merge(ctx, id, dup.Customer.ID, customer.MergeRequest{Actor: "staff-1"})
	require.NoError(t, err)
	assert.Equal(t, evs, again, "a replayed merge reports its event again")
	all = append(all, evs...)

	erased, err := w.Erase(ctx, id, customer.EraseRequest{Actor: "dpo"})
	require.NoError(t, err)
	var erasedIDs []string
	for _, e := range erased {
		assert.Equal(t, customer.EventErased, e.Type)
		erasedIDs = append(erasedIDs, e.CustomerID)
	}
	assert.ElementsMatch(t, []string{id, dup.Customer.ID}, erasedIDs)
	again, err = w.Erase(ctx, id, customer.EraseRequest{Actor: "dpo"})
	require.NoError(t, err)
	assert.Equal(t, erased, again, "a replayed erasure reports its events again")
	all = append(all, erased...)

	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	for _, e := range all {
		log.Info("event", "event", e)
		fmt.Fprintf(&buf, "%v %+v %#v %s\n", e, e, e, e)
	}
	for _, s := range secrets {
		assert.NotContains(t, buf.String(), s)
	}
	assert.Contains(t, buf.String(), string(customer.EventConsentWithdrawn))
}

func TestErasureTombstonesEmailMatchKey(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Nana"}, Email: "Nana.Ouyang+vip@Example.COM"})
	require.NoError(t, shop.Erase(ctx, c.ID, customer.EraseRequest{Actor: "dpo"}))
	for _, email := range []string{"nana.ouyang@example.com", "Nana.Ouyang+vip@example.com", "nana.ouyang+other@EXAMPLE.com"} {
		_, err := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "N"}, Email: email, Force: true})
		assert.ErrorIs(t, err, customer.ErrErased, email)
	}
	_, err := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "N"}, Email: "nana.ouyang@example.com", Force: true, AllowErased: true})
	assert.NoError(t, err)
	// Another mailbox is free.
	_, err = shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "N"}, Email: "nana@example.com", Force: true})
	assert.NoError(t, err)
}
