package main

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// shop holds the services a POS wires together, and the IDs the walk-through
// passes from one step to the next.
type shop struct {
	clock     *clock
	customers *customer.Service

	member string // the customer the walk-through follows
}

// clock is the walk-through's controllable time: each step moves it on.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) advance(d time.Duration) { c.now = c.now.Add(d) }
func (c *clock) set(t time.Time)         { c.now = t }

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no tzdata on the machine: China has no DST
	}
	return loc
}

func newShop() (*shop, error) {
	clk := &clock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, shanghai)}
	n := 0
	customers := customer.NewService(customer.NewMemoryStore(), &customer.Options{
		Clock:        clk.Now,
		NewID:        func() string { n++; return fmt.Sprintf("C%04d", n) },
		Location:     shanghai,
		TombstoneKey: []byte("demo key: use a secret of your own"),
	})
	return &shop{clock: clk, customers: customers}, nil
}
