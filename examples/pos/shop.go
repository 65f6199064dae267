package main

import (
	"context"
	_ "embed"
	"fmt"
	"sync"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"golang.org/x/text/language"
)

//go:embed program.json
var programJSON []byte

//go:embed sla_policy.json
var slaPolicyJSON []byte

//go:embed promotions.json
var promotionsJSON []byte

//go:embed coupons.json
var couponsJSON []byte

// shop holds the services a POS wires together, and the IDs the walk-through
// passes from one step to the next.
type shop struct {
	clock     *clock
	lang      language.Tag
	customers *customer.Service
	loyalty   *loyalty.Service
	feedback  *feedback.Service
	program   *loyalty.Program
	wallet    *storedvalue.Service
	pricing   *pricing.Engine
	coupons   *coupon.Service

	member string // the customer the walk-through follows
}

// clock is the walk-through's controllable time: each step moves it on.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no tzdata on the machine: China has no DST
	}
	return loc
}

func newShop(lang language.Tag) (*shop, error) {
	s := &shop{clock: &clock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, shanghai)}, lang: lang}
	program, err := loyalty.ParseProgram(programJSON)
	if err != nil {
		return nil, err
	}
	s.program = program
	n := 0
	s.customers = customer.NewService(customer.NewMemoryStore(), &customer.Options{
		Clock:        s.clock.Now,
		NewID:        func() string { n++; return fmt.Sprintf("C%04d", n) },
		Location:     shanghai,
		TombstoneKey: []byte("demo key: use a secret of your own"),
		// Merging customers merges their points accounts and feedback;
		// erasing one erases their feedback's free text.
		OnMerge: []func(context.Context, customer.MergeRecord) error{
			func(ctx context.Context, m customer.MergeRecord) error { return s.loyalty.MergeHook()(ctx, m) },
			func(ctx context.Context, m customer.MergeRecord) error {
				return s.feedback.MergeCustomer(ctx, m.Survivor, m.Duplicate)
			},
		},
		OnErase: []func(context.Context, string) error{
			func(ctx context.Context, id string) error { return s.feedback.EraseCustomer(ctx, id) },
		},
		Exporters: map[string]func(context.Context, string) (any, error){
			"loyalty": func(ctx context.Context, id string) (any, error) { return s.loyalty.Export(ctx, id) },
			"feedback": func(ctx context.Context, id string) (any, error) {
				return s.feedback.ExportCustomer(ctx, id)
			},
		},
	})
	s.loyalty, err = loyalty.NewService(program, loyalty.NewMemoryStore(), s.customers, &loyalty.Options{
		Clock: s.clock.Now,
	})
	if err != nil {
		return nil, err
	}
	svp, err := storedvalue.ParseProgramme(storedValueProgramme)
	if err != nil {
		return nil, err
	}
	if s.wallet, err = storedvalue.NewService(storedvalue.NewMemoryStore(), svp, nil); err != nil {
		return nil, err
	}
	if err := s.openTill(); err != nil {
		return nil, err
	}
	policy, err := feedback.ParseSLAPolicy(slaPolicyJSON)
	if err != nil {
		return nil, err
	}
	s.feedback, err = feedback.New(feedback.NewMemoryStore(), policy, &feedback.Options{
		Clock:        s.clock.Now,
		NewID:        func() string { n++; return fmt.Sprintf("F%04d", n) },
		Interactions: s.customers, // follow-up outcomes become customer interactions
		Goodwill:     s.loyalty,   // goodwill remedies are granted as points
		Consent:      s.customers,
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// openTill loads the promotions and the coupon definitions, and puts the
// spring flyer's code on the till.
func (s *shop) openTill() error {
	rules, err := pricing.ParseRules(promotionsJSON)
	if err != nil {
		return err
	}
	if s.pricing, err = pricing.NewEngine(rules, shanghai); err != nil {
		return err
	}
	defs, err := coupon.ParseDefinitions(couponsJSON)
	if err != nil {
		return err
	}
	// A seeded source keeps the demo's generated codes the same every run;
	// a shop leaves Random nil (crypto/rand).
	s.coupons = coupon.NewService(coupon.NewMemoryStore(), &coupon.Options{Random: &demoRandom{}})
	ctx := context.Background()
	for _, d := range defs {
		if err := s.coupons.Define(ctx, d); err != nil {
			return err
		}
	}
	_, err = s.coupons.Import(ctx, coupon.ImportRequest{ID: "flyer-2026-03", Definition: "flyer-tea-20",
		Codes: []string{"TEA-20"}, Source: coupon.SourceGeneric, At: s.clock.Now()})
	return err
}

// demoRandom is a repeatable stand-in for crypto/rand.
type demoRandom struct{ n byte }

func (r *demoRandom) Read(p []byte) (int, error) {
	for i := range p {
		r.n += 37
		p[i] = r.n
	}
	return len(p), nil
}
