package loyaltytest

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
)

// listing is one of the store's iterators, reduced to the IDs it yields,
// over the three records seedListings gives it.
type listing struct {
	name string
	seq  func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error]
}

// idsOf maps an iterator to the IDs of its values, passing a break on.
func idsOf[T any](seq iter.Seq2[T, error], id func(T) string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range seq {
			if !yield(id(v), err) {
				return
			}
		}
	}
}

var listings = []listing{
	{"Entries", func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return idsOf(s.Entries(ctx, "M00001", 0), func(e ledger.Entry) string { return e.ID })
	}},
	{"Accounts", func(ctx context.Context, s loyalty.Store) iter.Seq2[string, error] {
		return idsOf(s.Accounts(ctx, ""), func(a loyalty.Account) string { return a.MemberID })
	}},
}

// seedListings gives every listing exactly three values: three accounts,
// the first with three entries.
func seedListings(t *testing.T, s loyalty.Store) {
	t.Helper()
	m := newMember(t, "M00001")
	m.save(t, s, m.next(t, "earn:1", chain(earn("lot-1", 10, at(0)), earn("lot-2", 20, at(time.Second)), earn("lot-3", 30, at(2*time.Second)))))
	createAll(t, s, []string{"M00002", "M00003"})
}

func iteratorRules() []rule {
	var rules []rule
	for _, l := range listings {
		rules = append(rules,
			rule{"Iterators", "EarlyBreakStops/" + l.name, func(t *testing.T, s loyalty.Store) { earlyBreak(t, s, l) }},
			rule{"Iterators", "CancelledContextIsError/" + l.name, func(t *testing.T, s loyalty.Store) { cancelledBefore(t, s, l) }},
			rule{"Iterators", "CancelMidwayIsError/" + l.name, func(t *testing.T, s loyalty.Store) { cancelledMidway(t, s, l) }},
		)
	}
	return rules
}

// earlyBreak breaks out after the first value. An iterator that called
// yield again would make the range statement panic; one that kept a lock
// or a connection would make the full read and the write that follow
// hang or fail.
func earlyBreak(t *testing.T, s loyalty.Store, l listing) {
	seedListings(t, s)
	ctx := t.Context()
	kit.RequireEarlyBreak(t, l.seq(ctx, s))
	assert.Len(t, kit.Collect(t, l.seq(ctx, s)), 3, "the store is usable after an early break")
	m, w := simpleWrite(t, "M00004", 1)
	m.save(t, s, w)
}

func cancelledBefore(t *testing.T, s loyalty.Store, l listing) {
	seedListings(t, s)
	kit.RequireCancelledBefore(t, l.bind(s))
}

func cancelledMidway(t *testing.T, s loyalty.Store, l listing) {
	seedListings(t, s)
	kit.RequireCancelledMidway(t, l.bind(s))
}

// bind fixes the listing's store, leaving the context to the check.
func (l listing) bind(s loyalty.Store) func(context.Context) iter.Seq2[string, error] {
	return func(ctx context.Context) iter.Seq2[string, error] { return l.seq(ctx, s) }
}
