package postgres_test

import (
	"context"
	"sync"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A lane's retried registration and consent change through the PostgreSQL
// store return the original result and their events again and write
// nothing twice, even when the retries race.
func TestCustomerReplaysOnPostgres(t *testing.T) {
	ctx := context.Background()
	db := freshDB(t)
	shop := customer.NewService(db.Customers(), nil)
	w := shop.Writes()
	r := customer.Registration{Profile: customer.Profile{Name: "Lin Wei"}, Phone: "13800138000", RequestID: "pos-07/reg-1"}

	var wg sync.WaitGroup
	changes := make([]customer.Change, 6)
	errs := make([]error, 6)
	for i := range changes {
		wg.Go(func() { changes[i], errs[i] = w.Register(ctx, r) })
	}
	wg.Wait()
	for i := range changes {
		require.NoError(t, errs[i])
		assert.Equal(t, changes[0].Customer.ID, changes[i].Customer.ID)
		assert.Equal(t, changes[0].Events[0].Type, changes[i].Events[0].Type)
	}
	n := 0
	for _, err := range db.Customers().Customers(ctx) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n)

	r.Profile.Name = "Someone Else"
	_, err := w.Register(ctx, r)
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)

	id := changes[0].Customer.ID
	req := customer.ConsentRequest{Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS, Source: "pos:SH-02", RequestID: "pos-07/consent-1"}
	first, err := w.GrantConsent(ctx, id, req)
	require.NoError(t, err)
	again, err := w.GrantConsent(ctx, id, req)
	require.NoError(t, err)
	assert.Equal(t, first.Customer.Version, again.Customer.Version)
	assert.Equal(t, first.Events[0].At, again.Events[0].At)
	require.Len(t, again.Customer.Consents, 1)
	assert.Len(t, again.Customer.Consents[0].History, 1)
}
