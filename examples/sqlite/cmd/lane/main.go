// Command lane runs a scripted day at an offline checkout lane: members
// are registered centrally and copied to the lane, then the lane sells and
// takes returns into its SQLite file and outbox, syncing into the central
// services every few facts and copying the centre's view of its members
// back (Refresh); after the second sync, the centre changes things the
// lane does not know of: a member spends points at another store, and
// another is merged. The central services are on PostgreSQL when
// -central names a database (a libpq URL or key=value string; the schema
// is migrated), and otherwise a second SQLite file beside the lane's.
//
// The script restarts from its first fact whenever the program starts:
// every step is idempotent (members found by their numbers, facts by
// their IDs), so a day killed at any point and run again ends in the
// state of a day never interrupted. The crash test (crash_test.go) does
// exactly that, with SIGKILL.
//
//	go run ./cmd/lane -dir /tmp/lane -facts 60 -seed 7
//	go run ./cmd/lane -dir /tmp/lane -central 'postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/examples/sqlite"
	"github.com/clientele-go/clientele/examples/sqlite/lane"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// day is one scripted day's settings.
type day struct {
	dir     string // holds lane.db (and central.db without central)
	central string // PostgreSQL DSN of the central services; "" for central.db
	program string // loyalty programme JSON
	facts   int    // sales and returns
	members int
	every   int // facts between syncs
	seed    uint64
	// progress, if set, is told the index of each fact before it is
	// recorded.
	progress func(i int)
}

func main() {
	var d day
	flag.StringVar(&d.dir, "dir", "lane-day", "directory of lane.db and central.db")
	flag.StringVar(&d.central, "central", "", "PostgreSQL DSN of the central services (empty: central.db in -dir)")
	flag.StringVar(&d.program, "program", "../../loyalty/testdata/program.json", "loyalty programme (JSON)")
	flag.IntVar(&d.facts, "facts", 60, "sales and returns in the day")
	flag.IntVar(&d.members, "members", 5, "members shopping")
	flag.IntVar(&d.every, "sync-every", 10, "facts between syncs")
	flag.Uint64Var(&d.seed, "seed", 1, "seed of the day's script")
	flag.Parse()
	rep, err := run(context.Background(), d)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("day done: %d facts, %d sent (%d refused), %d notes\n", d.facts, rep.Sent, rep.Refused, len(rep.Notes))
	for _, n := range rep.Notes {
		fmt.Println(" ", n)
	}
}

// start is the day's first instant; fact i happens i minutes later.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// fixed is the clock of both sides: the script's times are its own.
func fixed() time.Time { return start.Add(24 * time.Hour) }

// central opens the day's central services: on PostgreSQL when the day
// names a DSN, else over central.db in its directory. close releases
// them.
func central(ctx context.Context, d day, program *loyalty.Program) (s lane.Services, close func(), err error) {
	var (
		customers customer.Store
		points    loyalty.Store
	)
	if d.central != "" {
		db, err := postgres.Open(ctx, d.central)
		if err != nil {
			return lane.Services{}, nil, err
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			return lane.Services{}, nil, err
		}
		customers, points, close = db.Customers(), db.Loyalty(), db.Close
	} else {
		db, err := sqlite.Open(ctx, filepath.Join(d.dir, "central.db"), sqlite.Options{})
		if err != nil {
			return lane.Services{}, nil, err
		}
		customers, points, close = db.Customers(), db.Loyalty(), func() { db.Close() }
	}
	s.Customers = customer.NewService(customers, &customer.Options{Clock: fixed, NewID: memberID,
		OnMerge: []func(context.Context, customer.MergeRecord) error{func(ctx context.Context, m customer.MergeRecord) error {
			return s.Points.MergeHook()(ctx, m)
		}}})
	s.Points, err = loyalty.NewService(program, points, s.Customers, &loyalty.Options{Clock: fixed})
	if err != nil {
		close()
		return lane.Services{}, nil, err
	}
	return s, close, nil
}

// nextID is the ID the central customer service gives the member being
// registered: "c-" and the member number, so two runs of the day give the
// same members the same IDs and their states compare as they are.
var nextID string

func memberID() string { return nextID }

// Fact is one step of the script: a sale, or a return of an earlier sale.
type Fact struct {
	Purchase *customer.Purchase
	Return   *customer.Return
}

// script returns the day's facts for the members, the same for a seed.
func script(d day, ids []string) []Fact {
	rng := rand.New(rand.NewPCG(d.seed, 0x1a9e))
	var facts []Fact
	var sold []customer.Purchase
	returned := map[string]bool{}
	for i := range d.facts {
		at := start.Add(time.Duration(i) * time.Minute)
		if len(sold) > 2 && rng.IntN(5) == 0 {
			p := sold[rng.IntN(len(sold))]
			if !returned[p.ID] {
				returned[p.ID] = true
				facts = append(facts, Fact{Return: &customer.Return{ID: fmt.Sprintf("L1/R%04d", i), PurchaseID: p.ID,
					Store: "SH-02", Time: at, Currency: "CNY", Refund: p.Lines[0].Total,
					Lines: []customer.ReturnLine{{Line: 1, Quantity: p.Lines[0].Quantity}}}})
				continue
			}
		}
		buyer := ""
		if n := rng.IntN(len(ids) + 1); n < len(ids) {
			buyer = ids[n]
		}
		qty := decimal.NewFromInt(int64(1 + rng.IntN(3)))
		price := decimal.New(int64(500+rng.IntN(20000)), -2)
		p := customer.Purchase{ID: fmt.Sprintf("L1/%04d", i), CustomerID: buyer, Store: "SH-02",
			Channel: customer.ChannelInStore, Time: at, Currency: "CNY",
			Lines: []customer.Line{{SKU: fmt.Sprintf("SKU-%d", rng.IntN(40)), Category: "grocery",
				Quantity: qty, UnitPrice: price, Total: qty.Mul(price)}}}
		facts = append(facts, Fact{Purchase: &p})
		if buyer != "" {
			sold = append(sold, p)
		}
	}
	return facts
}

// run runs the day from its first fact and returns what its syncs did
// (this run's: a day restarted after a crash reports what it sent since).
func run(ctx context.Context, d day) (lane.Report, error) {
	data, err := os.ReadFile(d.program)
	if err != nil {
		return lane.Report{}, err
	}
	program, err := loyalty.ParseProgram(data)
	if err != nil {
		return lane.Report{}, err
	}
	hq, closeHQ, err := central(ctx, d, program)
	if err != nil {
		return lane.Report{}, err
	}
	defer closeHQ()
	l, err := lane.Open(ctx, filepath.Join(d.dir, "lane.db"), lane.Config{Program: program,
		Customer: &customer.Options{Clock: fixed}, Loyalty: &loyalty.Options{Clock: fixed}, Clock: fixed})
	if err != nil {
		return lane.Report{}, err
	}
	defer l.Close()

	ids, err := Members(ctx, hq, l, d.members)
	if err != nil {
		return lane.Report{}, err
	}
	var rep lane.Report
	for i, f := range script(d, ids) {
		if d.progress != nil {
			d.progress(i)
		}
		switch {
		case f.Purchase != nil:
			_, err = l.Sell(ctx, *f.Purchase)
		default:
			_, err = l.Return(ctx, *f.Return)
		}
		if err != nil {
			return rep, fmt.Errorf("fact %d: %w", i, err)
		}
		if (i+1)%d.every == 0 {
			if err := syncAndRefresh(ctx, l, hq, &rep); err != nil {
				return rep, err
			}
			if i+1 == 2*d.every {
				if err := meanwhile(ctx, hq, ids); err != nil {
					return rep, err
				}
				if _, err := l.Refresh(ctx, hq); err != nil {
					return rep, err
				}
			}
		}
	}
	return rep, syncAndRefresh(ctx, l, hq, &rep)
}

// syncAndRefresh sends the lane's queue to the centre, adding what it did
// to the day's report, then copies the centre's view of the lane's
// members back.
func syncAndRefresh(ctx context.Context, l *lane.Lane, hq lane.Services, day *lane.Report) error {
	rep, err := l.Sync(ctx, hq)
	day.Sent += rep.Sent
	day.Refused += rep.Refused
	day.Notes = append(day.Notes, rep.Notes...)
	if err != nil {
		return err
	}
	_, err = l.Refresh(ctx, hq)
	return err
}

// meanwhile is what happens centrally while the lane sells, right after
// its second sync: the second member spends every available point at
// another store, and the fifth is merged into the fourth. Both are
// idempotent, and the centre holds the same facts at that point however
// often the day was cut short (every fact up to the sync was sent, none
// after it sold), so a restarted day makes the same changes: the
// redemption is skipped when recorded, its size read otherwise.
func meanwhile(ctx context.Context, hq lane.Services, ids []string) error {
	if len(ids) < 5 {
		return nil
	}
	const redemption = "S9/R-0001"
	if _, err := hq.Points.Store().GetOperation(ctx, "redeem:"+redemption); errors.Is(err, loyalty.ErrNotFound) {
		b, err := hq.Points.Balance(ctx, ids[1])
		if err != nil {
			return fmt.Errorf("meanwhile: %w", err)
		}
		if spend := b.Available / 100 * 100; spend >= 500 { // the programme's step and minimum
			if _, err := hq.Points.Redeem(ctx, loyalty.RedeemRequest{ID: redemption, MemberID: ids[1], Points: spend,
				At: fixed()}); err != nil {
				return fmt.Errorf("meanwhile: %w", err)
			}
		}
	} else if err != nil {
		return fmt.Errorf("meanwhile: %w", err)
	}
	if _, err := hq.Customers.Merge(ctx, ids[3], ids[4], customer.MergeRequest{Actor: "hq", Reason: "same person",
		At: fixed()}); err != nil {
		return fmt.Errorf("meanwhile: merge: %w", err)
	}
	return nil
}

// Members registers the day's members centrally (those not yet there)
// with an opening balance, and copies each to the lane if it lacks it. A
// member's ID is "c-" and its number, so a restarted day finds it by ID
// (its number may since have moved to the member it was merged into).
func Members(ctx context.Context, hq lane.Services, l *lane.Lane, n int) ([]string, error) {
	var ids []string
	for i := range n {
		number := fmt.Sprintf("M-%03d", i+1)
		id := "c-" + number
		m, err := hq.Customers.Store().GetCustomer(ctx, id)
		if errors.Is(err, customer.ErrNotFound) {
			nextID = id
			m, err = hq.Customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Member " + number},
				MemberNumber: number, JoinedAt: start.Add(-24 * time.Hour)})
		}
		if err != nil {
			return nil, fmt.Errorf("member %d: %w", i+1, err)
		}
		// Points from before the day, available at once.
		if _, err := hq.Points.Adjust(ctx, loyalty.AdjustRequest{ID: "opening:" + number, MemberID: id, Points: 1000,
			Reason: "opening", Actor: "migration", At: start.Add(-24 * time.Hour)}); err != nil {
			return nil, fmt.Errorf("member %d: opening balance: %w", i+1, err)
		}
		local := l.Local().Customers.Store()
		if _, err := local.GetCustomer(ctx, m.ID); err != nil {
			if err := local.CreateCustomer(ctx, m); err != nil {
				return nil, fmt.Errorf("member %d on the lane: %w", i+1, err)
			}
		}
		ids = append(ids, m.ID)
	}
	return ids, nil
}
