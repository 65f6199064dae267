package loyalty

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// hostRelease is the pending-until of points the host releases itself:
// later than any real date, so only Release frees them.
var hostRelease = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)

// EarnResult is what an earn did.
type EarnResult struct {
	MemberID string         `json:"memberId"`
	Quote    Quote          `json:"quote"`
	Entries  []ledger.Entry `json:"entries"`
	Tier     TierState      `json:"tier"`
	Events   []Event        `json:"events"`
}

// Quote says what a purchase would earn for its customer now, line by line
// and rule by rule, without writing anything. Earn runs the very same
// computation and stores its quote.
func (s *Service) Quote(ctx context.Context, p customer.Purchase) (Quote, error) {
	c, err := s.buyer(ctx, p)
	if err != nil {
		return Quote{}, err
	}
	acct, err := s.store.GetAccount(ctx, c.ID)
	switch {
	case errors.Is(err, ErrNotFound):
		acct = s.newAccount(c.ID)
	case err != nil:
		return Quote{}, err
	}
	return s.quote(ctx, acct, c, p)
}

// Earn credits the points a purchase earns to the account of the customer
// who holds it now (merges followed), updates qualifying activity and
// upgrades the tier at once if the purchase qualifies. The purchase must
// be recorded first (customer.Service.RecordPurchase), and p must be that
// record: one never recorded is ErrNotRecorded, one that differs from the
// record (another card, an edited line) is ErrNotAsRecorded, and neither
// writes anything. The copy a lane queued before a merge and the copy the
// customer store holds after it are the same request. Returns of the
// purchase that reached Return before this earn are clawed back here, as
// if they had come after it.
//
// It is idempotent by purchase ID: a replay returns the original result
// (even if the rules changed since). An anonymous purchase earns nothing
// and is an error.
func (s *Service) Earn(ctx context.Context, p customer.Purchase) (EarnResult, error) {
	if err := checkID("purchase.id", p.ID); err != nil {
		return EarnResult{}, fmt.Errorf("loyalty: earn: %w", err)
	}
	for attempt := 0; ; attempt++ {
		rec, c, hash, err := s.recordedPurchase(ctx, p)
		if err != nil {
			return EarnResult{}, fmt.Errorf("loyalty: earn %s: %w", p.ID, err)
		}
		p := rec
		var res EarnResult
		n := needs{at: p.Time, purchases: []string{p.ID}}
		now := s.now()
		if s.expiredBy(p, now) {
			// Synced after its points would have lapsed: the earn expires
			// them at once, with whatever else is overdue, as the expiry
			// run that already passed would have.
			n.through, n.overdue = now, true
		}
		err = s.writeKept(ctx, request{key: "earn:" + p.ID, hash: hash, member: c.ID, create: true, handOff: true, needs: n}, nil,
			func() ([]byte, error) { return encodeEarn(&res) },
			func(raw []byte) error {
				var r EarnResult
				err := decodeResult(raw, &r)
				res = r
				return err
			},
			func(acct Account, ws *workset) (Account, []ledger.Entry, any, error) {
				next, entries, r, err := s.earn(acct, ws, c, p, now)
				res = r
				return next, entries, nil, err
			})
		if errors.Is(err, ErrMerged) && attempt < maxMergeChain {
			continue // the buyer was merged meanwhile: earn for the survivor
		}
		if err != nil {
			return EarnResult{}, fmt.Errorf("loyalty: earn %s: %w", p.ID, err)
		}
		return res, nil
	}
}

func (s *Service) earn(acct Account, ws *workset, c customer.Customer, p customer.Purchase, now time.Time) (Account, []ledger.Entry, EarnResult, error) {
	// Steps due by the purchase (a review since the last operation) come
	// first, so its quote sees the tier it was bought under whether or not
	// a batch review ran in between.
	var changes []TierChange
	if p.Time.After(acct.Tier.Seen) {
		var err error
		if changes, err = s.evaluateTier(&acct, ws, p.Time); err != nil {
			return acct, nil, EarnResult{}, err
		}
	}
	q, err := s.quoteAt(acct, ws, c, p)
	if err != nil {
		return acct, nil, EarnResult{}, err
	}
	late := lateFact{at: p.Time, purchase: true, id: s.siblingOrder(acct, p), prior: Account{Tier: acct.Tier, TierMarks: slices.Clone(acct.TierMarks)}}
	var entries []ledger.Entry
	if q.Total > 0 {
		pending := q.PendingUntil
		if q.ReleaseByHost {
			pending = hostRelease
		}
		acct.Points, entries, err = acct.Points.Earn(lotID(p.ID), q.Total, p.Time, pending, q.ExpiresAt, p.ID)
		if err != nil {
			return acct, nil, EarnResult{}, err
		}
	}
	acct.Purchases++
	if err := s.addActivity(&acct, ws, QualifyingEvent{Time: p.Time, Spend: purchaseTotal(p), Purchases: 1, Points: q.Total, Purchase: p.ID}); err != nil {
		return acct, nil, EarnResult{}, err
	}
	early, err := s.clawBackEarlyReturns(&acct, ws, p, q)
	if err != nil {
		return acct, nil, EarnResult{}, err
	}
	entries = append(entries, early...)
	if q.Total > 0 && s.expiredBy(p, now) {
		var expired []ledger.Entry
		if acct.Points, expired, err = acct.Points.Expire(now); err != nil {
			return acct, nil, EarnResult{}, err
		}
		entries = append(entries, expired...)
	}
	if acct.Tier.MemberSince.IsZero() {
		acct.Tier.MemberSince = storeTime(c.JoinedAt)
	}
	after, err := s.evaluateTier(&acct, ws, latest(p.Time, s.now()))
	if err != nil {
		return acct, nil, EarnResult{}, err
	}
	changes = append(changes, after...)
	requoted, more, err := s.settleLater(&acct, ws, &c, late, now)
	if err != nil {
		return acct, nil, EarnResult{}, err
	}
	entries, changes = append(entries, requoted...), append(changes, more...)
	// The result shares nothing with the account (request.handOff).
	tier := acct.Tier
	if tier.Override != nil {
		o := *tier.Override
		tier.Override = &o
	}
	res := EarnResult{MemberID: acct.MemberID, Quote: q, Entries: entries, Tier: tier,
		Events: append(entryEvents(acct.MemberID, entries), tierEvents(acct.MemberID, changes)...)}
	return acct, entries, res, nil
}

// quote is what Quote previews: the purchase against the account as it
// is, without the re-quote rules a recorded earn follows (quoteAt).
func (s *Service) quote(ctx context.Context, acct Account, c customer.Customer, p customer.Purchase) (Quote, error) {
	m, err := s.member(ctx, acct, c, p.Time)
	if err != nil {
		return Quote{}, err
	}
	usage, err := s.capUsage(acct, s.readingWorkset(ctx, acct.MemberID), p.Time)
	if err != nil {
		return Quote{}, err
	}
	return s.program.Quote(QuoteInput{Purchase: p, Member: m, Usage: usage})
}

// member is what the rules may know about the buyer at t: the tier held
// then (or a higher one a perk grants), and the customer's facts and
// tags with the perks'.
func (s *Service) member(ctx context.Context, acct Account, c customer.Customer, t time.Time) (Member, error) {
	m := Member{
		Tier:          acct.tierAt(t).Effective(t),
		Birthday:      c.Birthday,
		FirstPurchase: acct.Purchases == 0,
		JoinedAt:      c.JoinedAt,
		Tags:          c.Tags,
	}
	if s.opts.Perks == nil {
		return m, nil
	}
	perks, err := s.opts.Perks.PerksAt(ctx, acct.MemberID, t)
	if err != nil {
		return m, fmt.Errorf("perks: %w", err)
	}
	if i := s.program.Tiers.index(perks.Tier); i > s.program.Tiers.index(m.Tier) {
		m.Tier = perks.Tier
	}
	if len(perks.Tags) > 0 {
		m.Tags = append(slices.Clip(c.Tags), perks.Tags...)
	}
	return m, nil
}

// buyer returns the purchase's customer (merges resolved).
func (s *Service) buyer(ctx context.Context, p customer.Purchase) (customer.Customer, error) {
	if p.CustomerID == "" {
		return customer.Customer{}, &FieldError{Field: "customerId", Problem: "an anonymous purchase earns no points"}
	}
	c, err := s.customers.Get(ctx, p.CustomerID)
	if err != nil {
		return customer.Customer{}, fmt.Errorf("customer of purchase %s: %w", p.ID, err)
	}
	return c, holderEarns(p, c)
}

// holderEarns refuses a purchase whose holder earns nothing: none (an
// anonymous sale) or an erased customer.
func holderEarns(p customer.Purchase, c customer.Customer) error {
	switch {
	case p.CustomerID == "":
		return &FieldError{Field: "customerId", Problem: "an anonymous purchase earns no points"}
	case c.Erased():
		return fmt.Errorf("purchase %s: %w", p.ID, customer.ErrErased)
	}
	return nil
}

func lotID(purchaseID string) string { return "p:" + purchaseID }

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// expiredBy reports whether the points a purchase earns have already
// lapsed at now: the purchase reached loyalty after its expiry date.
func (s *Service) expiredBy(p customer.Purchase, now time.Time) bool {
	exp := s.program.Expiry.ExpiresAt(p.Time, s.program.loc())
	return !exp.IsZero() && !exp.After(now)
}
