package customertest_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/customer/customertest"
	"github.com/clientele-go/clientele/internal/kit"
)

// The kit checks itself: it must pass the memory store, and it must fail
// each of the broken stores below on the rule that store breaks. The
// broken stores run in a child process (this test binary, re-run with
// brokenEnv set), because a failing subtest cannot be observed from the
// parent test without failing it.

const brokenEnv = "CUSTOMERTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	customertest.Run(t, func(*testing.T) customer.Store { return customer.NewMemoryStore() })
}

// broken lists stores that each break one sentence of the contract, with
// the rule of the kit that must catch it.
var broken = []kit.Broken[customer.Store]{
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondApartKeepOrderAndBounds",
		Store: func() customer.Store { return millisecondTimes{mem()} }},
	{Name: "CheckThenWriteUpdate", Rule: "UpdateCustomer/ConcurrentSameVersionOneWins",
		Store: func() customer.Store { return checkThenWriteUpdate{mem()} }},
	{Name: "CheckThenWriteReturn", Rule: "AddReturn/ConcurrentSameVersionOneWins",
		Store: func() customer.Store { return checkThenWriteReturn{mem()} }},
	{Name: "StaleHolderVersion", Rule: "GetPurchaseHolder/AgreesWithTwoReads",
		Store: func() customer.Store { return staleHolderVersion{mem()} }},
	{Name: "PartialCreate", Rule: "CreateCustomer/TakenIdentityIsIdentityTaken",
		Store: func() customer.Store { return partialCreate{mem()} }},
	{Name: "KeepsDroppedIdentities", Rule: "UpdateCustomer/DroppedIdentitiesAreReleased",
		Store: func() customer.Store { return &keepsDroppedIdentities{Store: mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/PurchasesOf",
		Store: func() customer.Store { return ignoresContext{mem()} }},
	{Name: "YieldsAfterBreak", Rule: "Iterators/EarlyBreakStops/ReturnsOf",
		Store: func() customer.Store { return yieldsAfterBreak{mem()} }},
	{Name: "InclusiveUpperBound", Rule: "PurchasesBetween/HalfOpenRangeOldestFirstTiesByID",
		Store: func() customer.Store { return inclusiveUpperBound{mem()} }},
	{Name: "TiesByArrival", Rule: "PurchasesOf/NewestFirstTiesByIDDescending",
		Store: func() customer.Store { return tiesByArrival{mem()} }},
	{Name: "DropsReplayKeys", Rule: "CreateCustomer/RoundTripsEveryField",
		Store: func() customer.Store { return dropsReplayKeys{mem()} }},
	{Name: "LosesSentinel", Rule: "GetCustomer/MissingIsNotFound",
		Store: func() customer.Store { return losesSentinel{mem()} }},
	{Name: "SharesSlices", Rule: "Copies/ReturnedCustomersAreCopies",
		Store: func() customer.Store { return &sharesSlices{Store: mem()} }},
	{Name: "ReassignSkipsReturns", Rule: "Reassign/MovesPurchasesAndReturns",
		Store: func() customer.Store { return reassignSkipsReturns{mem()} }},
	{Name: "ReplacesLiveMerge", Rule: "AddMerge/SecondMergeOfDuplicateIsAlreadyExists",
		Store: func() customer.Store { return replacesLiveMerge{mem()} }},
	{Name: "CheckThenAddMerge", Rule: "AddMerge/ConcurrentNextAttemptsOneWins",
		Store: func() customer.Store { return &checkThenAddMerge{Store: mem()} }},
	{Name: "ForgetsAbandonedMerges", Rule: "MergeAttempts/EveryAttemptOldestFirst",
		Store: func() customer.Store { return forgetsAbandonedMerges{mem()} }},
	{Name: "MergedAsRedirect", Rule: "Merge/CutShortAndResumedAfterTheSurvivorMovedOnLosesNoIdentity",
		Store: func() customer.Store { return mergedAsRedirect{mem()} }},
}

func mem() customer.Store { return customer.NewMemoryStore() }

// TestBrokenStores is the child process's test: it runs only with
// brokenEnv set, and fails.
func TestBrokenStores(t *testing.T) {
	kit.RunBroken(t, brokenEnv, broken, customertest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

// staleHolderVersion reads the purchase and its customer together, but
// reports the purchase at the version it was stored with, missing the
// returns recorded since (a join against a stale copy).
type staleHolderVersion struct{ customer.Store }

func (s staleHolderVersion) GetPurchaseHolder(ctx context.Context, id string) (customer.PurchaseRecord, customer.Customer, bool, error) {
	rec, c, found, err := s.Store.(customer.PurchaseHolderStore).GetPurchaseHolder(ctx, id)
	rec.Version = 1
	return rec, c, found, err
}

// millisecondTimes keeps purchase times to the millisecond only.
type millisecondTimes struct{ customer.Store }

func (s millisecondTimes) AddPurchase(ctx context.Context, r customer.PurchaseRecord) error {
	r.Purchase.Time = r.Purchase.Time.Truncate(time.Millisecond)
	return s.Store.AddPurchase(ctx, r)
}

// checkThenWriteUpdate checks the version, then writes in a second step:
// the race the contract forbids.
type checkThenWriteUpdate struct{ customer.Store }

func (s checkThenWriteUpdate) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	old, err := s.GetCustomer(ctx, c.ID)
	if err != nil {
		return err
	}
	if old.Version != c.Version-1 {
		return customer.ErrConflict
	}
	time.Sleep(5 * time.Millisecond) // let the other writers pass the check too
	for {
		cur, err := s.GetCustomer(ctx, c.ID)
		if err != nil {
			return err
		}
		next := c
		next.Version = cur.Version + 1
		if err := s.Store.UpdateCustomer(ctx, next); !errors.Is(err, customer.ErrConflict) {
			return err
		}
	}
}

// checkThenWriteReturn does the same to AddReturn.
type checkThenWriteReturn struct{ customer.Store }

func (s checkThenWriteReturn) AddReturn(ctx context.Context, r customer.ReturnRecord, version int64) error {
	p, err := s.GetPurchase(ctx, r.Return.PurchaseID)
	if err != nil {
		return err
	}
	if p.Version != version {
		return customer.ErrConflict
	}
	time.Sleep(5 * time.Millisecond)
	for {
		p, err := s.GetPurchase(ctx, r.Return.PurchaseID)
		if err != nil {
			return err
		}
		if err := s.Store.AddReturn(ctx, r, p.Version); !errors.Is(err, customer.ErrConflict) {
			return err
		}
	}
}

// partialCreate, refused for a taken identity, still writes the customer
// with the identities that were free.
type partialCreate struct{ customer.Store }

func (s partialCreate) CreateCustomer(ctx context.Context, c customer.Customer) error {
	err := s.Store.CreateCustomer(ctx, c)
	if errors.Is(err, customer.ErrIdentityTaken) {
		c.Identities = slices.DeleteFunc(slices.Clone(c.Identities), func(id customer.Identity) bool {
			_, err := s.CustomerByIdentity(ctx, id)
			return err == nil
		})
		_ = s.Store.CreateCustomer(ctx, c)
	}
	return err
}

// keepsDroppedIdentities answers CustomerByIdentity for identities an
// update dropped as if the old holder still had them.
type keepsDroppedIdentities struct {
	customer.Store
	mu      sync.Mutex
	dropped map[string]customer.Customer
}

func (s *keepsDroppedIdentities) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	old, _ := s.GetCustomer(ctx, c.ID)
	if err := s.Store.UpdateCustomer(ctx, c); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range old.Identities {
		if !slices.Contains(c.Identities, id) {
			if s.dropped == nil {
				s.dropped = map[string]customer.Customer{}
			}
			s.dropped[id.Key()] = c
		}
	}
	return nil
}

func (s *keepsDroppedIdentities) CustomerByIdentity(ctx context.Context, id customer.Identity) (customer.Customer, error) {
	s.mu.Lock()
	c, ok := s.dropped[id.Key()]
	s.mu.Unlock()
	if ok {
		return c, nil
	}
	return s.Store.CustomerByIdentity(ctx, id)
}

// ignoresContext lists purchases whatever happens to the context.
type ignoresContext struct{ customer.Store }

func (s ignoresContext) PurchasesOf(_ context.Context, id string) iter.Seq2[customer.Purchase, error] {
	return s.Store.PurchasesOf(context.Background(), id)
}

// yieldsAfterBreak ignores yield's answer.
type yieldsAfterBreak struct{ customer.Store }

func (s yieldsAfterBreak) ReturnsOf(ctx context.Context, id string) iter.Seq2[customer.Return, error] {
	return func(yield func(customer.Return, error) bool) {
		for r, err := range s.Store.ReturnsOf(ctx, id) {
			yield(r, err)
		}
	}
}

// inclusiveUpperBound reads [from, to] instead of [from, to).
type inclusiveUpperBound struct{ customer.Store }

func (s inclusiveUpperBound) PurchasesBetween(ctx context.Context, from, to time.Time) iter.Seq2[customer.Purchase, error] {
	return s.Store.PurchasesBetween(ctx, from, to.Add(time.Nanosecond))
}

// tiesByArrival orders purchases at the same time by ID ascending, not
// descending.
type tiesByArrival struct{ customer.Store }

func (s tiesByArrival) PurchasesOf(ctx context.Context, id string) iter.Seq2[customer.Purchase, error] {
	return func(yield func(customer.Purchase, error) bool) {
		var ps []customer.Purchase
		for p, err := range s.Store.PurchasesOf(ctx, id) {
			if err != nil {
				yield(p, err)
				return
			}
			ps = append(ps, p)
		}
		slices.SortStableFunc(ps, func(a, b customer.Purchase) int {
			if c := b.Time.Compare(a.Time); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		for _, p := range ps {
			if !yield(p, nil) {
				return
			}
		}
	}
}

// losesSentinel reports a missing customer with an error that only says so
// in words.
// dropsReplayKeys stores everything but the registration hash and the
// request IDs of consent changes, as a column-per-field adapter written
// before they existed would: registration and consent replays then fail.
type dropsReplayKeys struct{ customer.Store }

func (s dropsReplayKeys) CreateCustomer(ctx context.Context, c customer.Customer) error {
	c = c.Clone()
	c.RegistrationHash = ""
	for i := range c.Consents {
		for j := range c.Consents[i].History {
			c.Consents[i].History[j].RequestID = ""
		}
	}
	return s.Store.CreateCustomer(ctx, c)
}

type losesSentinel struct{ customer.Store }

func (s losesSentinel) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	c, err := s.Store.GetCustomer(ctx, id)
	if err != nil {
		return c, errors.New(err.Error())
	}
	return c, nil
}

// sharesSlices hands out the same customer value to repeated reads, as a
// cache returning its own entry would.
type sharesSlices struct {
	customer.Store
	mu    sync.Mutex
	cache map[string]customer.Customer
}

func (s *sharesSlices) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	c, err := s.Store.GetCustomer(ctx, id)
	if err != nil {
		return c, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cached, ok := s.cache[id]; ok && cached.Version == c.Version {
		return cached, nil
	}
	if s.cache == nil {
		s.cache = map[string]customer.Customer{}
	}
	s.cache[id] = c
	return c, nil
}

// reassignSkipsReturns moves nothing.
type reassignSkipsReturns struct{ customer.Store }

func (reassignSkipsReturns) Reassign(context.Context, string, string) error { return nil }

// replacesLiveMerge lets a new merge attempt in over one still in force,
// abandoning it on the way: a customer could then be merged twice.
type replacesLiveMerge struct{ customer.Store }

func (s replacesLiveMerge) AddMerge(ctx context.Context, m customer.MergeRecord) error {
	if m.Attempt > 1 {
		_ = s.Store.AbandonMerge(ctx, m.Duplicate, m.Attempt-1, m.At)
	}
	return s.Store.AddMerge(ctx, m)
}

// checkThenAddMerge keeps merge records itself and checks the latest
// attempt, then writes in a second step: racing callers all pass the
// check.
type checkThenAddMerge struct {
	customer.Store
	mu     sync.Mutex
	merges map[string][]customer.MergeRecord
}

func (s *checkThenAddMerge) AddMerge(ctx context.Context, m customer.MergeRecord) error {
	s.mu.Lock()
	attempts := s.merges[m.Duplicate]
	s.mu.Unlock()
	next := 1
	if n := len(attempts); n > 0 {
		if !attempts[n-1].Abandoned() || m.Attempt <= attempts[n-1].Attempt {
			return customer.ErrAlreadyExists
		}
		next = attempts[n-1].Attempt + 1
	}
	if m.Attempt != next {
		return customer.ErrConflict
	}
	time.Sleep(5 * time.Millisecond) // let the other callers pass the check too
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.merges == nil {
		s.merges = map[string][]customer.MergeRecord{}
	}
	s.merges[m.Duplicate] = append(slices.Clip(s.merges[m.Duplicate]), m)
	return nil
}

func (s *checkThenAddMerge) GetMerge(_ context.Context, duplicate string) (customer.MergeRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	attempts := s.merges[duplicate]
	if len(attempts) == 0 {
		return customer.MergeRecord{}, customer.ErrNotFound
	}
	return attempts[len(attempts)-1], nil
}

func (s *checkThenAddMerge) AbandonMerge(_ context.Context, duplicate string, attempt int, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	attempts := slices.Clone(s.merges[duplicate])
	i := slices.IndexFunc(attempts, func(m customer.MergeRecord) bool { return m.Attempt == attempt })
	if i < 0 {
		return customer.ErrNotFound
	}
	if !attempts[i].Abandoned() {
		attempts[i].AbandonedAt = at
	}
	s.merges[duplicate] = attempts
	return nil
}

func (s *checkThenAddMerge) MergeAttempts(_ context.Context, duplicate string) ([]customer.MergeRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.merges[duplicate]), nil
}

// forgetsAbandonedMerges keeps only the latest attempt of a merge, so an
// abandoned attempt vanishes from the audit trail once another follows.
type forgetsAbandonedMerges struct{ customer.Store }

func (s forgetsAbandonedMerges) MergeAttempts(ctx context.Context, duplicate string) ([]customer.MergeRecord, error) {
	m, err := s.GetMerge(ctx, duplicate)
	if errors.Is(err, customer.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []customer.MergeRecord{m}, nil
}

// mergedAsRedirect keeps a merged customer as a redirect: the link, the
// version and the merge bookkeeping Get and Merge read, and nothing else.
// Every round trip of a live customer is exact, but the identities a merge
// parks on its duplicate (MovedIdentities) vanish before the survivor
// takes them.
type mergedAsRedirect struct{ customer.Store }

func (s mergedAsRedirect) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	if c.MergedInto != "" {
		c = customer.Customer{ID: c.ID, Version: c.Version, JoinedAt: c.JoinedAt, MergedInto: c.MergedInto,
			CommittedMerge: c.CommittedMerge, AbandonedMerge: c.AbandonedMerge, ErasedAt: c.ErasedAt}
	}
	return s.Store.UpdateCustomer(ctx, c)
}
