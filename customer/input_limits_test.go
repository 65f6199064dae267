package customer_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fieldsOf lists the field paths of every *FieldError in err.
func fieldsOf(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		var fe *customer.FieldError
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if errors.As(e, &fe) {
			out = append(out, fe.Field)
		}
	}
	walk(err)
	return out
}

// Issue 12 item 3 / issue 13: dates enter the customer package only
// within the documented range, so an accepted customer always exports.
func TestRegistrationDatesWithinRange(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		joined   time.Time
		birthday customer.Birthday
		field    string // "" means accepted
	}{
		{"join year 10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), customer.Birthday{}, "joinedAt"},
		{"join before 1850", time.Date(1849, 12, 31, 0, 0, 0, 0, time.UTC), customer.Birthday{}, "joinedAt"},
		{"legacy join 1900-01-01", time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), customer.Birthday{}, ""},
		{"birthday year 9999", time.Time{}, customer.Birthday{Year: 9999, Month: 1, Day: 1}, "birthday.year"},
		{"birthday year 2200", time.Time{}, customer.Birthday{Year: 2200, Month: 1, Day: 1}, "birthday.year"},
		{"legacy birthday 1900-01-01", time.Time{}, customer.Birthday{Year: 1900, Month: 1, Day: 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shop := newShop()
			c, err := shop.Register(ctx, customer.Registration{
				Profile: customer.Profile{Name: "Lin", Birthday: tt.birthday}, JoinedAt: tt.joined, Force: true,
			})
			if tt.field != "" {
				require.Error(t, err)
				assert.ErrorIs(t, err, customer.ErrInvalid)
				assert.ErrorIs(t, err, customer.ErrOutOfRange)
				assert.Equal(t, []string{tt.field}, fieldsOf(err))
				return
			}
			require.NoError(t, err)
			ex, err := shop.Export(ctx, c.ID)
			require.NoError(t, err)
			_, err = json.Marshal(ex)
			assert.NoError(t, err, "an accepted customer must export")
		})
	}
}

func TestFactTimesWithinRange(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Lin"}})
	for _, tt := range []struct {
		at time.Time
		ok bool
	}{
		{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{time.Date(1849, 1, 1, 0, 0, 0, 0, time.UTC), false},
	} {
		p := basket("p-"+tt.at.Format("2006"), c.ID, tt.at)
		_, err := shop.RecordPurchase(ctx, p)
		in := customer.Interaction{ID: "i-" + tt.at.Format("2006"), CustomerID: c.ID, Time: tt.at,
			Direction: customer.Inbound, Kind: "call", Channel: "phone"}
		_, ierr := shop.LogInteraction(ctx, in)
		if tt.ok {
			assert.NoError(t, err)
			assert.NoError(t, ierr)
			continue
		}
		assert.ErrorIs(t, err, customer.ErrOutOfRange)
		assert.Equal(t, []string{"time"}, fieldsOf(err))
		assert.ErrorIs(t, ierr, customer.ErrOutOfRange)
	}
}

// NUL bytes and other control characters are refused in IDs, SKUs,
// names and member numbers, naming the field.
func TestControlCharactersRefused(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Lin"}})

	for _, tt := range []struct {
		name  string
		edit  func(*customer.Purchase)
		field string
	}{
		{"purchase ID NUL", func(p *customer.Purchase) { p.ID = "p\x001" }, "id"},
		{"purchase ID newline", func(p *customer.Purchase) { p.ID = "p\n1" }, "id"},
		{"SKU NUL", func(p *customer.Purchase) { p.Lines[0].SKU = "TEA\x00" }, "lines[0].sku"},
		{"line name C1 control", func(p *customer.Purchase) { p.Lines[1].Name = "cup\u0085" }, "lines[1].name"},
		{"staff NUL", func(p *customer.Purchase) { p.Staff = "s\x00" }, "staff"},
		{"store DEL", func(p *customer.Purchase) { p.Store = "sh\x7f" }, "store"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := basket("p1", c.ID, time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
			tt.edit(&p)
			_, err := shop.RecordPurchase(ctx, p)
			assert.ErrorIs(t, err, customer.ErrInvalid)
			assert.Equal(t, []string{tt.field}, fieldsOf(err))
		})
	}

	for _, tt := range []struct {
		name  string
		r     customer.Registration
		field string
	}{
		{"name NUL", customer.Registration{Profile: customer.Profile{Name: "Li\x00n"}}, "name"},
		{"name tab", customer.Registration{Profile: customer.Profile{Name: "Li\tn"}}, "name"},
		{"member number NUL", customer.Registration{MemberNumber: "M\x0001"}, "memberNumber"},
		{"external ID NUL", customer.Registration{ExternalIDs: []string{"wechat:o\x00x"}}, "externalIds[0]"},
		{"tag NUL", customer.Registration{Tags: []string{"vip\x00"}}, "tags"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.Force = true
			_, err := shop.Register(ctx, tt.r)
			assert.ErrorIs(t, err, customer.ErrInvalid)
			assert.Equal(t, []string{tt.field}, fieldsOf(err))
		})
	}

	// Free text keeps its line breaks.
	_, err := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Wu",
		Address: customer.Address{Street: "Building 3\nRoom 12"}}, Force: true})
	assert.NoError(t, err)
	_, err = shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Wu",
		Address: customer.Address{Street: "Room\x0012"}}, Force: true})
	assert.Equal(t, []string{"address.street"}, fieldsOf(err))
}

// The customer service refuses purchases loyalty could never earn on,
// with ErrOutOfRange naming the line, and reports only the fields at
// fault.
func TestPurchaseAmountsLoyaltyCanEarnOn(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Lin"}})
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		edit       func(*customer.Purchase)
		fields     []string
		outOfRange bool
	}{
		{"quantity with 7 decimals", func(p *customer.Purchase) {
			p.Lines[1].Quantity, p.Lines[1].UnitPrice, p.Lines[1].Total = dec("0.0000001"), dec("0"), dec("0")
		}, []string{"lines[1].quantity"}, true},
		{"line of 1e400", func(p *customer.Purchase) {
			p.Lines[1].UnitPrice, p.Lines[1].Total = dec("1e400"), dec("1e400")
		}, []string{"lines[1].unitPrice", "lines[1].total"}, true},
		{"line total beyond 10^12 minor units", func(p *customer.Purchase) {
			p.Lines[1].UnitPrice, p.Lines[1].Total = dec("20000000000"), dec("20000000000")
		}, []string{"lines[1].total"}, true},
		{"lines summing beyond the limit", func(p *customer.Purchase) {
			p.Lines[0].Quantity, p.Lines[0].UnitPrice, p.Lines[0].Discount, p.Lines[0].Total = dec("1"), dec("6000000000"), dec("0"), dec("6000000000")
			p.Lines[1].UnitPrice, p.Lines[1].Total = dec("6000000000"), dec("6000000000")
		}, []string{"lines"}, true},
		{"negative quantity flags only the quantity", func(p *customer.Purchase) {
			p.Lines[1].Quantity, p.Lines[1].Total = dec("-1"), dec("-120.00")
		}, []string{"lines[1].quantity"}, false},
		{"1e400 order discount", func(p *customer.Purchase) { p.OrderDiscount = dec("1e400") }, []string{"orderDiscount"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basket("p1", c.ID, at)
			tt.edit(&p)
			_, err := shop.RecordPurchase(ctx, p)
			require.Error(t, err)
			assert.ErrorIs(t, err, customer.ErrInvalid)
			assert.Equal(t, tt.outOfRange, errors.Is(err, customer.ErrOutOfRange))
			assert.ElementsMatch(t, tt.fields, fieldsOf(err))
		})
	}
	// The largest purchase within the limits is recorded.
	p := basket("p-max", c.ID, at)
	p.Lines[1].UnitPrice, p.Lines[1].Total = dec("9999999000.00"), dec("9999999000.00")
	_, err := shop.RecordPurchase(ctx, p)
	assert.NoError(t, err)
}
