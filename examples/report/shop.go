package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/synth"
	"github.com/clientele-go/clientele/loyalty"
)

//go:embed program.json
var programJSON []byte

//go:embed sla_policy.json
var slaPolicyJSON []byte

// shopSize is how big a shop to simulate.
type shopSize struct {
	Customers, Purchases int
}

var (
	smallShop = shopSize{Customers: 3000, Purchases: 30000}
	fullShop  = shopSize{Customers: 100000, Purchases: 400000}
	// testShop keeps `go test -short` quick.
	testShop = shopSize{Customers: 600, Purchases: 6000}
)

// seed fixes the synthetic shop, so every run reports the same figures.
const seed = 20251201

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no tzdata: China keeps no DST
	}
	return loc
}()

// The shop trades through 2024 and 2025; the report is December 2025
// against November.
var (
	historyStart = time.Date(2024, 1, 1, 0, 0, 0, 0, shanghai)
	historyEnd   = time.Date(2026, 1, 1, 0, 0, 0, 0, shanghai)
	reportFrom   = time.Date(2025, 12, 1, 0, 0, 0, 0, shanghai)
	previousFrom = time.Date(2025, 11, 1, 0, 0, 0, 0, shanghai)
)

// clock is the services' clock, moved by the simulation.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// members answers the loyalty service's questions about customers from
// the synthetic shop: the customer (through merges to the survivor) and
// the purchases that were returned.
type members struct {
	byID      map[string]customer.Customer
	purchases map[string]customer.Purchase // those with a return, and the sale at the till
	returns   map[string]customer.Return
}

func (m *members) Get(_ context.Context, id string) (customer.Customer, error) {
	for range 8 {
		c, ok := m.byID[id]
		if !ok {
			return customer.Customer{}, customer.ErrNotFound
		}
		if c.MergedInto == "" {
			return c, nil
		}
		id = c.MergedInto
	}
	return customer.Customer{}, errors.New("merge chain too long")
}

// Return is the shop's record of a return: loyalty claws back only
// returns the shop recorded.
func (m *members) Return(_ context.Context, id string) (customer.Return, error) {
	r, ok := m.returns[id]
	if !ok {
		return customer.Return{}, customer.ErrNotFound
	}
	return r, nil
}

// Purchase is the shop's record of a purchase: loyalty earns only on
// purchases the shop recorded.
func (m *members) Purchase(_ context.Context, id string) (customer.Purchase, error) {
	p, ok := m.purchases[id]
	if !ok {
		return customer.Purchase{}, customer.ErrNotFound
	}
	return p, nil
}

// sim is a simulated shop: the synthetic facts and the services they
// went through.
type sim struct {
	shop     *synth.Shop
	clock    *clock
	members  *members
	loyalty  *loyalty.Service
	lstore   loyalty.Store
	feedback *feedback.Service
	policy   feedback.SLAPolicy
	// tiers holds the members' tier states as they stood at each
	// snapshot instant.
	tiers map[time.Time][]memberTier
}

type memberTier struct {
	id    string
	state loyalty.TierState
}

func newSim(size shopSize) (*sim, error) {
	shop := synth.New(synth.Config{
		Seed: seed, Customers: size.Customers, Purchases: size.Purchases,
		Start: historyStart, End: historyEnd, Stores: 8, Currency: "CNY", Location: shanghai,
	})
	s := &sim{shop: shop, clock: &clock{now: historyStart}, tiers: map[time.Time][]memberTier{}}
	s.members = &members{byID: map[string]customer.Customer{}, purchases: map[string]customer.Purchase{}, returns: map[string]customer.Return{}}
	for c, err := range shop.Customers() {
		if err != nil {
			return nil, err
		}
		s.members.byID[c.ID] = c
	}
	program, err := loyalty.ParseProgram(programJSON)
	if err != nil {
		return nil, err
	}
	s.lstore = loyalty.NewMemoryStore()
	n := 0
	s.loyalty, err = loyalty.NewService(program, s.lstore, s.members, &loyalty.Options{
		Clock: s.clock.Now, ExpiryNotice: -1,
	})
	if err != nil {
		return nil, err
	}
	if s.policy, err = feedback.ParseSLAPolicy(slaPolicyJSON); err != nil {
		return nil, err
	}
	s.feedback, err = feedback.New(feedback.NewMemoryStore(), s.policy, &feedback.Options{
		Clock: s.clock.Now, NewID: func() string { n++; return fmt.Sprintf("F%07d", n) }, Goodwill: s.loyalty,
	})
	return s, err
}

// purchases is the shop's purchase stream with a till operator on every
// sale (the generator leaves Staff empty): three staff per store.
func (s *sim) purchases() iter.Seq2[customer.Purchase, error] {
	return func(yield func(customer.Purchase, error) bool) {
		for p, err := range s.shop.Purchases() {
			if err == nil {
				p.Staff = fmt.Sprintf("%s-%c", p.Store, 'A'+rune(hash(p.ID, "staff")%3))
			}
			if !yield(p, err) {
				return
			}
		}
	}
}

// hash draws a deterministic number from an ID and a purpose.
func hash(id, salt string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(id))
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}
