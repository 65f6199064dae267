package customer_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A purchase at 23:30 UTC on 1 March is on 2 March in Shanghai; Stats
// reports it on the shop's calendar day.
func TestStatsReportInTheShopZone(t *testing.T) {
	ctx := context.Background()
	shop := customer.NewService(customer.NewMemoryStore(), &customer.Options{Location: shanghai})
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Z"}})
	_, err := shop.RecordPurchase(ctx, basket("p1", c.ID, time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)))
	require.NoError(t, err)
	st, err := shop.Stats(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-02", st.FirstPurchase.Format("2006-01-02"))
	assert.Equal(t, shanghai, st.LastPurchase.Location())
}
