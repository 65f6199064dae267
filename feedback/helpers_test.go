package feedback_test

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/internal/errtree"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// interactionLog records what the service logs, idempotently by ID as
// customer.Service does.
type interactionLog struct {
	mu   sync.Mutex
	byID map[string]customer.Interaction
	fail error
}

func (l *interactionLog) LogInteraction(_ context.Context, in customer.Interaction) (customer.Interaction, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return customer.Interaction{}, l.fail
	}
	if l.byID == nil {
		l.byID = map[string]customer.Interaction{}
	}
	if old, ok := l.byID[in.ID]; ok {
		if old != in {
			return customer.Interaction{}, customer.ErrIdempotencyMismatch
		}
		return old, nil
	}
	l.byID[in.ID] = in
	return in, nil
}

// granter is a loyalty stand-in that grants once per key.
type granter struct {
	mu     sync.Mutex
	points map[string]int64 // by customer
	keys   map[string]bool
	fail   error
}

func (g *granter) GrantGoodwill(_ context.Context, customerID string, points int64, key, _ string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.fail != nil {
		return g.fail
	}
	if g.keys == nil {
		g.keys, g.points = map[string]bool{}, map[string]int64{}
	}
	if g.keys[key] {
		return nil
	}
	g.keys[key] = true
	g.points[customerID] += points
	return nil
}

type fixture struct {
	svc     *feedback.Service
	store   *feedback.MemoryStore
	clock   *fakeClock
	log     *interactionLog
	granter *granter
	policy  feedback.SLAPolicy
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	p := loadPolicy(t)
	f := &fixture{
		store: feedback.NewMemoryStore(), clock: &fakeClock{}, log: &interactionLog{}, granter: &granter{}, policy: p,
	}
	n := 0
	var mu sync.Mutex
	svc, err := feedback.New(f.store, p, &feedback.Options{
		Clock: f.clock.Now,
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("gen-%d", n)
		},
		Interactions: f.log,
		Goodwill:     f.granter,
	})
	require.NoError(t, err)
	f.svc = svc
	f.clock.Set(sh(t, 2026, 11, 20, 10, 0)) // a Friday
	return f
}

func sh(t testing.TB, y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, mustLoc(t, "Asia/Shanghai"))
}

func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

func eventNames(evs []feedback.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.EventName()
	}
	return out
}

func intake(id string, pr feedback.Priority) feedback.ComplaintIntake {
	return feedback.ComplaintIntake{
		ID: id, CustomerID: "cust-1", Store: "store-1", Staff: "alice",
		Channel: feedback.ChannelInStore, Category: feedback.CategoryProduct, Priority: pr,
		Description: "the kettle leaks", RemedySought: "a new kettle", PurchaseID: "p-1",
	}
}

// fieldsOf lists the fields of every *FieldError in an error tree.
func fieldsOf(err error) []string {
	var out []string
	for _, fe := range errtree.All[*feedback.FieldError](err) {
		out = append(out, fe.Field)
	}
	return out
}

func mustDecimal(s string) decimal.Decimal { return decimal.RequireFromString(s) }
