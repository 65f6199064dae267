package loyaltytest_test

import (
	"context"
	"iter"
	"sync"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Broken DueFinders: each works out the due accounts from every header and
// lot (a reference, not an index), then breaks one sentence of the rule.

func init() {
	broken = append(broken,
		kit.Broken[loyalty.Store]{Name: "DueIgnoresReleases", Rule: "DueAccounts/ExactlyTheAccountsWithSomethingDue",
			Store: func() loyalty.Store { return &dueBroken{Store: mem(), how: "expiry only"} }},
		kit.Broken[loyalty.Store]{Name: "DueKeepsClosedLots", Rule: "DueAccounts/ExactlyTheAccountsWithSomethingDue",
			Store: func() loyalty.Store { return &dueBroken{Store: mem(), how: "closed lots"} }},
		kit.Broken[loyalty.Store]{Name: "DueInclusiveAfter", Rule: "DueAccounts/AfterIsExclusive",
			Store: func() loyalty.Store { return &dueBroken{Store: mem(), how: "inclusive after"} }},
		kit.Broken[loyalty.Store]{Name: "DueIndexedOnCreate", Rule: "DueAccounts/FollowsSaves",
			Store: func() loyalty.Store { return &dueBroken{Store: mem(), how: "on create"} }},
		kit.Broken[loyalty.Store]{Name: "DueOneBound", Rule: "DueAccounts/EachBoundItsOwn",
			Store: func() loyalty.Store { return &dueBroken{Store: mem(), how: "one bound"} }},
		kit.Broken[loyalty.Store]{Name: "DueFirstPageOnly", Rule: "DueAccounts/ManyAccountsInOrder",
			Store: func() loyalty.Store { return &dueBroken{Store: mem(), how: "first page"} }},
	)
}

type dueBroken struct {
	loyalty.Store
	how     string
	mu      sync.Mutex
	created map[string][]ledger.Lot // "on create": the lots of each account's first write
}

func (s *dueBroken) Save(ctx context.Context, w loyalty.Write) error {
	if err := s.Store.Save(ctx, w); err != nil {
		return err
	}
	if s.how == "on create" && w.Account.Version == 1 {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.created == nil {
			s.created = map[string][]ledger.Lot{}
		}
		s.created[w.Account.MemberID] = w.Lots
	}
	return nil
}

func (s *dueBroken) DueAccounts(ctx context.Context, by loyalty.DueBy, after string) iter.Seq2[loyalty.Account, error] {
	if s.how == "one bound" {
		by = loyalty.DueBy{Expiring: by.Through(), Releasing: by.Through()}
	}
	return func(yield func(loyalty.Account, error) bool) {
		if s.how == "inclusive after" && after != "" {
			after = after[:len(after)-1] + string(after[len(after)-1]-1) + "\xff"
		}
		n := 0
		for a, err := range s.Accounts(ctx, after) {
			if err != nil {
				yield(a, err)
				return
			}
			lots, err := s.lotsOf(ctx, a.MemberID)
			if err != nil {
				yield(a, err)
				return
			}
			if !s.anyDue(lots, by) {
				continue
			}
			if n++; s.how == "first page" && n > 256 {
				return
			}
			if !yield(a, nil) {
				return
			}
		}
	}
}

func (s *dueBroken) lotsOf(ctx context.Context, member string) ([]ledger.Lot, error) {
	if s.how == "on create" {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.created[member], nil
	}
	var out []ledger.Lot
	for l, err := range s.AllLots(ctx, member) {
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func (s *dueBroken) anyDue(lots []ledger.Lot, by loyalty.DueBy) bool {
	for _, l := range lots {
		if l.Remaining <= 0 && s.how != "closed lots" {
			continue
		}
		if !l.ExpiresAt.IsZero() && !l.ExpiresAt.After(by.Expiring) {
			return true
		}
		if !l.Released && !l.PendingUntil.After(by.Releasing) && s.how != "expiry only" {
			return true
		}
	}
	return false
}
