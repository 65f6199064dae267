package loyalty

import (
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

// samePurchase compares every field of a purchase but its customer: a
// field added to customer.Purchase or customer.Line must be added there
// (and here).
func TestSamePurchaseKnowsEveryField(t *testing.T) {
	assert.Equal(t, 10, reflect.TypeFor[customer.Purchase]().NumField(), "customer.Purchase changed: update samePurchase")
	assert.Equal(t, 9, reflect.TypeFor[customer.Line]().NumField(), "customer.Line changed: update samePurchase")

	d := decimal.RequireFromString
	base := customer.Purchase{ID: "p1", CustomerID: "c1", Store: "s", Channel: customer.ChannelInStore, Staff: "st",
		Time: time.Date(2026, 3, 2, 10, 0, 0, 123456789, time.UTC), Currency: "CNY", OrderDiscount: d("1"), Tax: d("0.5"),
		Lines: []customer.Line{{SKU: "A", Name: "n", Category: "c", Brand: "b", Tags: []string{"t"},
			Quantity: d("2"), UnitPrice: d("49.90"), Discount: d("0"), Total: d("99.80")}}}
	clone := func() customer.Purchase { return base.Clone() }
	same := clone()
	same.CustomerID = "c2"                                   // whoever holds it
	same.Lines[0].UnitPrice = d("49.9")                      // the same number
	same.Time = same.Time.Truncate(time.Microsecond).Local() // the same instant as stored
	assert.True(t, samePurchase(&base, &same))
	for name, change := range map[string]func(*customer.Purchase){
		"id": func(p *customer.Purchase) { p.ID = "p2" }, "store": func(p *customer.Purchase) { p.Store = "x" },
		"channel":  func(p *customer.Purchase) { p.Channel = customer.ChannelOnline },
		"staff":    func(p *customer.Purchase) { p.Staff = "x" },
		"time":     func(p *customer.Purchase) { p.Time = p.Time.Add(time.Second) },
		"currency": func(p *customer.Purchase) { p.Currency = "USD" },
		"discount": func(p *customer.Purchase) { p.OrderDiscount = d("2") }, "tax": func(p *customer.Purchase) { p.Tax = d("1") },
		"lines": func(p *customer.Purchase) { p.Lines = append(p.Lines, p.Lines[0]) },
		"sku":   func(p *customer.Purchase) { p.Lines[0].SKU = "B" }, "name": func(p *customer.Purchase) { p.Lines[0].Name = "m" },
		"category":      func(p *customer.Purchase) { p.Lines[0].Category = "x" },
		"brand":         func(p *customer.Purchase) { p.Lines[0].Brand = "x" },
		"tags":          func(p *customer.Purchase) { p.Lines[0].Tags = nil },
		"quantity":      func(p *customer.Purchase) { p.Lines[0].Quantity = d("3") },
		"price":         func(p *customer.Purchase) { p.Lines[0].UnitPrice = d("1") },
		"line discount": func(p *customer.Purchase) { p.Lines[0].Discount = d("1") },
		"total":         func(p *customer.Purchase) { p.Lines[0].Total = d("5000") },
	} {
		other := clone()
		change(&other)
		assert.False(t, samePurchase(&base, &other), name)
	}
}
