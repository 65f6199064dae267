package loyaltytest

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/require"
)

// listingMember is the member whose lots, records and entries the
// listings walk.
const listingMember = "M00001"

// listingThrough is the time PendingLots is asked through: after the
// seeded lots' PendingUntil.
var listingThrough = at(2 * day)

func lotID(l ledger.Lot) string { return l.ID }

// listings are every iterator of the Store, each over the three values
// seedListings gives it.
var listings = []kit.Listing[loyalty.Store]{
	{Name: "Entries", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Entries(ctx, listingMember, 0), func(e ledger.Entry) string { return e.ID })
	}},
	{Name: "Accounts", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Accounts(ctx, ""), func(a loyalty.Account) string { return a.MemberID })
	}},
	{Name: "DueAccounts", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(dueOrAccounts(ctx, s), func(a loyalty.Account) string { return a.MemberID })
	}},
	{Name: "SpendingLots", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.SpendingLots(ctx, listingMember), lotID)
	}},
	{Name: "PendingLots", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.PendingLots(ctx, listingMember, listingThrough), lotID)
	}},
	{Name: "AllLots", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.AllLots(ctx, listingMember), lotID)
	}},
	{Name: "Records", Seq: func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return kit.IDsOf(s.Records(ctx, listingMember, loyalty.RecordPurchase), func(r loyalty.Record) string { return r.Key })
	}},
}

// seedListings gives every listing exactly three values: three accounts,
// the first with three entries, three pending lots and three purchase
// records.
func seedListings(t *testing.T, s loyalty.Store) {
	t.Helper()
	m := newMember(t, listingMember)
	w := m.next(t, "earn:1", chain(
		earnLot("lot-1", 10, at(0), at(day), at(30*day)),
		earnLot("lot-2", 20, at(time.Second), at(day), at(30*day)),
		earnLot("lot-3", 30, at(2*time.Second), at(day), time.Time{}),
	))
	for _, k := range []string{"order-1", "order-2", "order-3"} {
		w.Records = append(w.Records, loyalty.Record{Kind: loyalty.RecordPurchase, Key: k, Data: []byte(k)})
	}
	m.save(t, s, w)
	createAll(t, s, []string{"M00002", "M00003"})
}

func iteratorRules() []rule {
	ls := kit.Listings[loyalty.Store]{
		All:    listings,
		Seed:   seedListings,
		Seeded: 3,
		Write: func(t *testing.T, s loyalty.Store) {
			m, w := simpleWrite(t, "M00004", 1)
			m.save(t, s, w)
		},
	}
	var rules []rule
	for _, r := range ls.Rules() {
		rules = append(rules, rule(r))
	}
	for _, l := range listings {
		rules = append(rules, rule{"Iterators", "SaveInsideTheLoopDoesNotBlock/" + l.Name, func(t *testing.T, s loyalty.Store) {
			saveInsideLoop(t, s, l)
		}})
	}
	return rules
}

// saveInsideLoop saves the listed member's account from inside the loop
// over each value, as batch runs (expiry, tier reviews) save as they go:
// the store must not hold a lock or a connection Save needs while it
// yields.
func saveInsideLoop(t *testing.T, s loyalty.Store, l kit.Listing[loyalty.Store]) {
	seedListings(t, s)
	ctx := t.Context()
	done := make(chan error, 1)
	go func() { // reports through done only: the test may be over when it ends
		done <- func() error {
			n := 0
			for _, err := range l.Seq(ctx, s) {
				if err != nil {
					return err
				}
				n++
				acct, err := s.GetAccount(ctx, listingMember)
				if err != nil {
					return err
				}
				acct.Version++
				rec := loyalty.Record{Kind: loyalty.RecordCoupon, Key: fmt.Sprintf("in-loop-%d", n), Data: []byte("x")}
				if err := s.Save(ctx, loyalty.Write{Account: acct, Records: []loyalty.Record{rec}}); err != nil {
					return fmt.Errorf("save inside the loop: %w", err)
				}
			}
			if n == 0 {
				return fmt.Errorf("the listing yielded nothing")
			}
			return nil
		}()
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(blockTimeout):
		t.Fatal("a save inside the loop blocked: the store holds a lock while yielding")
	}
}
