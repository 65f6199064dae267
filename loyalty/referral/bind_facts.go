package referral

import (
	"context"
	"fmt"

	"github.com/clientele-go/clientele/customer"
)

// A binding can reach the service after the friend's purchases and
// returns: the host's registration call may be retried late, or an offline
// lane may sync the friend's first purchase before it. Those facts were
// sent to Qualify and Return while nobody had referred the friend, which
// changed nothing, so Bind looks for them itself, in the customer facts:
// the friend's qualifying purchase is the least (time, ID) of the
// purchases made at or after the binding, and its recorded returns are
// applied as Return applies them.
//
// Cost: the customer store lists a customer's purchases newest first
// (PurchasesOf, by the customer index), and the listing stops at the first
// purchase made before the binding. Bind so uses the purchases the friend
// made since binding, plus one, never the history before it; binding
// happens within BindWithinDays of joining, so that is the new member's
// purchases up to the time the binding arrives. On the PostgreSQL and
// SQLite example stores the listing is a keyset-paged scan of the
// (customer, time, ID) index whose newest-first pages start at 8 rows and
// grow fourfold: a binding made on time costs one query of at most 8
// rows, even for a friend with a long imported history. The customer store has
// no listing of one customer's purchases between two times, which would
// read exactly the purchases in the qualifying window; purchases made
// after it (QualifyWithinDays) are read and skipped, which only a binding
// arriving long after registration pays for. Then the returns of the one
// purchase found are read by the purchase index (ReturnsOfPurchase).

// pickUp finds the friend's qualifying purchase among those recorded and
// qualifies it (which applies its returns).
func (s *Service) pickUp(ctx context.Context, f Friend) (Friend, error) {
	var first customer.Purchase
	found := false
	for p, err := range s.customers.Store().PurchasesOf(ctx, f.FriendID) {
		if err != nil {
			return Friend{}, fmt.Errorf("referral: bind: purchases of the friend: %w", err)
		}
		if p.Time.Before(f.BoundAt) {
			break // newest first: the rest were made before the binding
		}
		if s.qualifies(f, p) && (!found || earlier(storeTime(p.Time), p.ID, storeTime(first.Time), first.ID)) {
			first, found = p, true
		}
	}
	if !found {
		// Nothing to decide; what a crash left on the referrer is
		// completed all the same.
		return f, s.settleDisplaced(ctx, f.ReferrerID)
	}
	g, err := s.qualify(ctx, first)
	if err != nil {
		return Friend{}, fmt.Errorf("referral: bind: %w", err)
	}
	return g, nil
}
