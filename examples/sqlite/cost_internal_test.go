package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/shopspring/decimal"
)

// history is a member's services on a file holding n earlier purchases,
// each of which earned.
type history struct {
	db        *DB
	customers *customer.Service
	points    *loyalty.Service
	at        time.Time
	next      int
}

func newHistory(t *testing.T, n int) *history {
	t.Helper()
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "h.db"), Options{Synchronous: "OFF"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	data, err := os.ReadFile("../../loyalty/testdata/program.json")
	if err != nil {
		t.Fatal(err)
	}
	program, err := loyalty.ParseProgram(data)
	if err != nil {
		t.Fatal(err)
	}
	program.Expiry = loyalty.ExpiryPolicy{Kind: loyalty.ExpireNever}
	program.Pending = loyalty.PendingPolicy{}
	program.Caps = loyalty.Caps{} // every purchase earns
	h := &history{db: db, at: time.Date(2020, 1, 2, 16, 5, 0, 0, time.UTC)}
	clock := func() time.Time { return h.at }
	h.customers = customer.NewService(db.Customers(), &customer.Options{Clock: clock, NewID: func() string { return "H-1" }})
	if h.points, err = loyalty.NewService(program, db.Loyalty(), h.customers, &loyalty.Options{Clock: clock}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.customers.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Regular"}, MemberNumber: "H-1"}); err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := h.points.Earn(ctx, h.purchase(t)); err != nil {
			t.Fatal(err)
		}
	}
	return h
}

func (h *history) purchase(t *testing.T) customer.Purchase {
	h.at = h.at.Add(time.Second)
	q, price := decimal.NewFromInt(2), decimal.RequireFromString("44.50")
	p, err := h.customers.RecordPurchase(t.Context(), customer.Purchase{ID: fmt.Sprint("h", h.next), CustomerID: "H-1",
		Store: "SH-02", Channel: customer.ChannelInStore, Time: h.at, Currency: "CNY",
		Lines: []customer.Line{{SKU: "TEA", Category: "tea", Quantity: q, UnitPrice: price, Total: q.Mul(price)}}})
	if err != nil {
		t.Fatal(err)
	}
	h.next++
	return p
}

// statements returns the statements f runs, in order.
func (h *history) statements(f func()) []string {
	var mu sync.Mutex
	var got []string
	h.db.trace = func(q string) { mu.Lock(); defer mu.Unlock(); got = append(got, q) }
	defer func() { h.db.trace = nil }()
	f()
	return got
}

// TestOperationCost checks that an earn's and a redemption's cost does
// not grow with the member's history: after 10 and after 2,000 earlier
// purchases (300 with -short) each runs the same statements, one write
// transaction, and no statement scans a table (each reaches its rows
// through an index).
func TestOperationCost(t *testing.T) {
	sizes := []int{10, 2_000}
	if testing.Short() {
		sizes[1] = 300
	}
	ops := []struct {
		name string
		run  func(t *testing.T, h *history) func()
	}{
		{"earn", func(t *testing.T, h *history) func() {
			p := h.purchase(t)
			return func() {
				if _, err := h.points.Earn(t.Context(), p); err != nil {
					t.Fatal(err)
				}
			}
		}},
		{"redeem", func(t *testing.T, h *history) func() {
			return func() {
				if _, err := h.points.Redeem(t.Context(), loyalty.RedeemRequest{ID: "r1", MemberID: "H-1", Points: 500}); err != nil {
					t.Fatal(err)
				}
			}
		}},
	}
	var hs []*history
	for _, n := range sizes {
		hs = append(hs, newHistory(t, n))
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			var runs [][]string
			for _, h := range hs {
				runs = append(runs, h.statements(op.run(t, h)))
			}
			explainAll(t, hs[len(hs)-1].db, runs[len(runs)-1])
			for i, q := range runs[0] {
				t.Logf("%2d %s", i, oneLine(q))
			}
			if !slices.Equal(runs[0], runs[1]) {
				t.Errorf("after %d purchases it runs %d statements, after %d %d:\n%s\n---\n%s", sizes[0], len(runs[0]),
					sizes[1], len(runs[1]), strings.Join(runs[0], "\n"), strings.Join(runs[1], "\n"))
			}
		})
	}
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }

// explainAll fails the test for every statement whose query plan scans a
// table or sorts in a temporary B-tree (a sort reads every row that
// matches, however few the caller wants).
func explainAll(t *testing.T, db *DB, queries []string) {
	t.Helper()
	ctx := context.Background()
	seen := map[string]bool{}
	for _, q := range queries {
		text := q[2:]
		if seen[text] {
			continue
		}
		seen[text] = true
		args := make([]any, strings.Count(text, "?"))
		rows, err := db.r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+text, args...)
		if err != nil {
			t.Fatalf("explain %s: %v", oneLine(text), err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		t.Logf("%s\n\t%s", oneLine(text), strings.Join(plan, "\n\t"))
		for _, step := range plan {
			// json_each is the statement's own argument, not a table.
			scan := strings.HasPrefix(step, "SCAN ") && !strings.HasPrefix(step, "SCAN CONSTANT") && !strings.Contains(step, "VIRTUAL TABLE")
			if scan || strings.Contains(step, "TEMP B-TREE") {
				t.Errorf("%s scans or sorts: %s", oneLine(text), step)
			}
		}
	}
}
