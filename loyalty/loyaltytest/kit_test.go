package loyaltytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
)

// The kit checks itself: it must pass the memory store, and it must fail
// each of the broken stores below on the rule that store breaks. The
// broken stores run in a child process (this test binary, re-run with
// brokenEnv set), because a failing subtest cannot be observed from the
// parent test without failing it.

const brokenEnv = "LOYALTYTEST_RUN_BROKEN_STORES"

func TestKitPassesMemoryStore(t *testing.T) {
	loyaltytest.Run(t, func(*testing.T) loyalty.Store { return loyalty.NewMemoryStore() })
}

// broken lists stores that each break one sentence of the contract, with
// the rule of the kit that must catch it.
var broken = []kit.Broken[loyalty.Store]{
	{Name: "PrefetchIgnoresKind", Rule: "Prefetch/MatchesTheSeparateReads",
		Store: func() loyalty.Store { return prefetchIgnoresKind{mem()} }},
	{Name: "PrefetchZeroAccount", Rule: "Prefetch/MissingIsNil",
		Store: func() loyalty.Store { return prefetchZeroAccount{mem()} }},
	{Name: "LosesSentinel", Rule: "GetAccount/MissingIsNotFound",
		Store: func() loyalty.Store { return losesSentinel{mem()} }},
	{Name: "CheckThenWrite", Rule: "Save/ConcurrentSameVersionOneWins",
		Store: func() loyalty.Store { return checkThenWrite{mem()} }},
	{Name: "AcceptsSkippedVersions", Rule: "Save/SkippedVersionIsConflictWritingNothing",
		Store: func() loyalty.Store { return acceptsSkippedVersions{mem()} }},
	{Name: "EntriesBeforeVersionCheck", Rule: "Save/StaleVersionIsConflictWritingNothing",
		Store: func() loyalty.Store { return &entriesBeforeVersionCheck{Store: mem()} }},
	{Name: "OverwritesOperations", Rule: "Save/ReusedOperationKeyIsAlreadyExistsWritingNothing",
		Store: func() loyalty.Store { return &overwritesOperations{Store: mem()} }},
	{Name: "OperationFirst", Rule: "Save/WriteIsAtomicForReaders",
		Store: func() loyalty.Store { return &operationFirst{Store: mem()} }},
	{Name: "NormalisesResults", Rule: "GetOperation/ResultBytesRoundTripExactly",
		Store: func() loyalty.Store { return normalisesResults{mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsInZonesRoundTrip",
		Store: func() loyalty.Store { return millisecondTimes{mem()} }},
	{Name: "RewritesOldEntries", Rule: "Entries/NeverChangedByLaterWrites",
		Store: func() loyalty.Store { return rewritesOldEntries{mem()} }},
	{Name: "InclusiveAfterSeq", Rule: "Entries/AfterSeqFilters",
		Store: func() loyalty.Store { return inclusiveAfterSeq{mem()} }},
	{Name: "InclusiveAfter", Rule: "Accounts/AfterIsExclusive",
		Store: func() loyalty.Store { return inclusiveAfter{mem()} }},
	{Name: "CaseInsensitiveOrder", Rule: "Accounts/AscendingMemberIDByteOrder",
		Store: func() loyalty.Store { return caseInsensitiveOrder{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/Entries",
		Store: func() loyalty.Store { return ignoresContext{mem()} }},
	{Name: "YieldsAfterBreak", Rule: "Iterators/EarlyBreakStops/Accounts",
		Store: func() loyalty.Store { return yieldsAfterBreak{mem()} }},
	{Name: "SharesResults", Rule: "Copies/ReturnedOperationsAreCopies",
		Store: func() loyalty.Store { return &sharesResults{Store: mem()} }},
	{Name: "DropsPurchases", Rule: "Save/CreateIsVersionOneAndRoundTrips",
		Store: func() loyalty.Store { return dropsPurchases{mem()} }},
	{Name: "PatchesActivity", Rule: "Save/UpdateReplacesTheWholeHeader",
		Store: func() loyalty.Store { return patchesActivity{mem()} }},
	{Name: "KeepsCallersAccount", Rule: "Copies/WriteIsNotKept",
		Store: func() loyalty.Store { return &keepsCallersAccount{Store: mem()} }},
	{Name: "UpsertOnCreate", Rule: "Save/ConcurrentCreatesOfOneAccountOneWins",
		Store: func() loyalty.Store { return upsertOnCreate{mem()} }},
	{Name: "KeysPerMember", Rule: "Save/ReusedOperationKeyOfAnotherMemberIsAlreadyExists",
		Store: func() loyalty.Store { return &keysPerMember{Store: mem()} }},
	{Name: "KeysPerMemberRace", Rule: "Save/ConcurrentUsesOfOneOperationKeyOneWins",
		Store: func() loyalty.Store { return &keysPerMember{Store: mem()} }},
	{Name: "EntriesNamedByKey", Rule: "Entries/IDAndAccountAsWritten",
		Store: func() loyalty.Store { return entriesNamedByKey{mem()} }},
	{Name: "UnknownMemberEntriesFail", Rule: "Entries/UnknownMemberIsEmpty",
		Store: func() loyalty.Store { return unknownMemberEntriesFail{mem()} }},
	{Name: "LocksWhileYielding", Rule: "Accounts/SaveInsideTheLoopNeitherBlocksNorRepeats",
		Store: func() loyalty.Store { return &locksWhileYielding{Store: mem()} }},

	// Lots, records and the header (kit_lots_test.go).
	{Name: "CompleteAccount", Rule: "GetAccount/PointsIsThePartialHeader",
		Store: func() loyalty.Store { return completeAccount{mem()} }},
	{Name: "RefusesBareWrites", Rule: "Save/WithoutEntriesOrOperation",
		Store: func() loyalty.Store { return refusesBareWrites{mem()} }},
	{Name: "RecordsOnlyOnCreate", Rule: "Save/UpdateIsVersionPlusOneAndRoundTrips",
		Store: func() loyalty.Store { return recordsOnlyOnCreate{mem()} }},
	{Name: "LotsInsertOnly", Rule: "Save/LotsReplaceTheSameID",
		Store: func() loyalty.Store { return lotsInsertOnly{mem()} }},
	{Name: "LotsKeyedGlobally", Rule: "Save/LotsAreKeyedPerMember",
		Store: func() loyalty.Store { return &keyedGlobally{Store: mem()} }},
	{Name: "RecordsInsertOnly", Rule: "Save/RecordsReplaceTheSameKindAndKey",
		Store: func() loyalty.Store { return recordsInsertOnly{mem()} }},
	{Name: "RecordsKeyedGlobally", Rule: "Save/RecordsAreKeyedPerMember",
		Store: func() loyalty.Store { return &keyedGlobally{Store: mem()} }},
	{Name: "KeyCheckedAfterWrite", Rule: "Save/ReusedOperationKeyIsAlreadyExistsWritingNothing",
		Store: func() loyalty.Store { return keyCheckedAfterWrite{mem()} }},
	{Name: "LotsSortedByID", Rule: "Lots/InTheOrderOfIDsSkippingMissing",
		Store: func() loyalty.Store { return lotsSortedByID{mem()} }},
	{Name: "ForgetsLapsed", Rule: "Lots/InTheOrderOfIDsSkippingMissing",
		Store: func() loyalty.Store { return forgetsLapsed{mem()} }},
	{Name: "UnknownMemberLotsFail", Rule: "Lots/UnknownMemberIsEmpty",
		Store: func() loyalty.Store { return unknownMemberFails{mem()} }},
	{Name: "UnknownMemberSpendingFails", Rule: "SpendingLots/UnknownMemberIsEmpty",
		Store: func() loyalty.Store { return unknownMemberFails{mem()} }},
	{Name: "UnknownMemberRecordsFail", Rule: "GetRecords/UnknownMemberIsEmpty",
		Store: func() loyalty.Store { return unknownMemberFails{mem()} }},
	{Name: "CollatedSpendingOrder", Rule: "SpendingLots/SpendingOrder",
		Store: func() loyalty.Store { return collatedOrder{mem()} }},
	{Name: "CollatedRecordOrder", Rule: "Records/ByKeyByteOrderOfOneKind",
		Store: func() loyalty.Store { return collatedOrder{mem()} }},
	{Name: "SpendingIncludesClosed", Rule: "SpendingLots/OnlyOpenLots",
		Store: func() loyalty.Store { return spendingIncludesClosed{mem()} }},
	{Name: "StaleSpendingIndex", Rule: "SpendingLots/SpentLotLeaves",
		Store: func() loyalty.Store { return &staleSpendingIndex{Store: mem()} }},
	{Name: "PendingExclusiveThrough", Rule: "PendingLots/UnreleasedDueByThroughInOrder",
		Store: func() loyalty.Store { return pendingExclusiveThrough{mem()} }},
	{Name: "AllLotsOpenOnly", Rule: "AllLots/EveryLotByIDClosedIncluded",
		Store: func() loyalty.Store { return allLotsOpenOnly{mem()} }},
	{Name: "GetRecordsSortedByKey", Rule: "GetRecords/InTheOrderOfKeysSkippingMissing",
		Store: func() loyalty.Store { return getRecordsSortedByKey{mem()} }},
	{Name: "GetRecordsAnyKind", Rule: "GetRecords/KindsAreSeparate",
		Store: func() loyalty.Store { return getRecordsAnyKind{mem()} }},
	{Name: "RecordsAsText", Rule: "Records/DataKeptByteForByte",
		Store: func() loyalty.Store { return recordsAsText{mem()} }},
	{Name: "SharesLots", Rule: "Copies/ReturnedLotsAreCopies",
		Store: func() loyalty.Store { return &sharesReads{Store: mem()} }},
	{Name: "SharesRecords", Rule: "Copies/ReturnedRecordsAreCopies",
		Store: func() loyalty.Store { return &sharesReads{Store: mem()} }},
	{Name: "MillisecondLotTimes", Rule: "TimePrecision/LotTimesRoundTrip",
		Store: func() loyalty.Store { return lotTimes{Store: mem(), fix: toMillisecond} }},
	{Name: "ZeroLotTimeAsEpoch", Rule: "TimePrecision/ZeroTimesStayZero",
		Store: func() loyalty.Store { return lotTimes{Store: mem(), fix: zeroAsEpoch} }},
	{Name: "ClampsBeforeEpoch", Rule: "TimePrecision/EdgeInstantsRoundTrip",
		Store: func() loyalty.Store { return clampsBeforeEpoch{mem()} }},
}

func init() {
	for _, it := range []string{"SpendingLots", "PendingLots", "AllLots", "Records"} {
		for how, rule := range map[string]string{"context": "CancelledContextIsError/", "break": "EarlyBreakStops/", "lock": "SaveInsideTheLoopDoesNotBlock/"} {
			broken = append(broken, kit.Broken[loyalty.Store]{Name: "Iterators-" + how + "-" + it, Rule: "Iterators/" + rule + it,
				Store: func() loyalty.Store { return &iteratorMisbehaves{Store: mem(), only: it, how: how} }})
		}
		broken = append(broken, kit.Broken[loyalty.Store]{Name: "Iterators-midway-" + it, Rule: "Iterators/CancelMidwayIsError/" + it,
			Store: func() loyalty.Store { return &iteratorMisbehaves{Store: mem(), only: it, how: "context"} }})
	}
	for _, it := range []string{"Entries", "Accounts"} {
		for how, rule := range map[string]string{"lock": "SaveInsideTheLoopDoesNotBlock/", "context": "CancelMidwayIsError/"} {
			broken = append(broken, kit.Broken[loyalty.Store]{Name: "Iterators-" + how + "-" + it, Rule: "Iterators/" + rule + it,
				Store: func() loyalty.Store { return &iteratorMisbehaves{Store: mem(), only: it, how: how} }})
		}
	}
	broken = append(broken,
		kit.Broken[loyalty.Store]{Name: "Iterators-break-Entries", Rule: "Iterators/EarlyBreakStops/Entries",
			Store: func() loyalty.Store { return &iteratorMisbehaves{Store: mem(), only: "Entries", how: "break"} }},
		kit.Broken[loyalty.Store]{Name: "Iterators-context-Accounts", Rule: "Iterators/CancelledContextIsError/Accounts",
			Store: func() loyalty.Store { return &iteratorMisbehaves{Store: mem(), only: "Accounts", how: "context"} }},
		kit.Broken[loyalty.Store]{Name: "AcceptsVersionZero", Rule: "Save/VersionZeroIsConflict",
			Store: func() loyalty.Store { return acceptsVersionZero{mem()} }},
		kit.Broken[loyalty.Store]{Name: "OperationSentinelLost", Rule: "GetOperation/MissingIsNotFound",
			Store: func() loyalty.Store { return operationSentinelLost{mem()} }},
		kit.Broken[loyalty.Store]{Name: "ValidatesBeforeVersion", Rule: "Save/StaleVersionIsConflictBeforeAnyOtherRefusal",
			Store: func() loyalty.Store { return validatesBeforeVersion{mem()} }},
	)
}

func mem() loyalty.Store { return loyalty.NewMemoryStore() }

// TestBrokenStores is the child process's test: it runs only with
// brokenEnv set, and fails.
func TestBrokenStores(t *testing.T) {
	defer loyaltytest.SetBlockTimeout(time.Second)()
	kit.RunBroken(t, brokenEnv, broken, loyaltytest.Run)
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

// losesSentinel reports a missing account with an error that only says so
// in words.
// prefetchIgnoresKind prefetches records of the purchase kind whatever
// kind it is asked for.
type prefetchIgnoresKind struct{ loyalty.Store }

func (s prefetchIgnoresKind) Prefetch(ctx context.Context, q loyalty.Prefetch) (loyalty.Prefetched, error) {
	q.Kind = loyalty.RecordPurchase
	return s.Store.(loyalty.Prefetcher).Prefetch(ctx, q)
}

// prefetchZeroAccount returns an empty header for a member without one.
type prefetchZeroAccount struct{ loyalty.Store }

func (s prefetchZeroAccount) Prefetch(ctx context.Context, q loyalty.Prefetch) (loyalty.Prefetched, error) {
	got, err := s.Store.(loyalty.Prefetcher).Prefetch(ctx, q)
	if got.Account == nil {
		got.Account = &loyalty.Account{MemberID: q.MemberID}
	}
	return got, err
}

type losesSentinel struct{ loyalty.Store }

func (s losesSentinel) GetAccount(ctx context.Context, id string) (loyalty.Account, error) {
	a, err := s.Store.GetAccount(ctx, id)
	if err != nil {
		return a, errors.New(err.Error())
	}
	return a, nil
}

// checkThenWrite checks the version, then writes in a second step: the
// race the contract forbids.
type checkThenWrite struct{ loyalty.Store }

func (s checkThenWrite) Save(ctx context.Context, w loyalty.Write) error {
	if w.Account.Version == 1 {
		return s.Store.Save(ctx, w) // creations are safe here, updates are not
	}
	cur, err := s.GetAccount(ctx, w.Account.MemberID)
	if err != nil {
		return err
	}
	if cur.Version != w.Account.Version-1 {
		return loyalty.ErrConflict
	}
	time.Sleep(2 * time.Millisecond) // let the other writers pass the check too
	for {
		cur, err := s.GetAccount(ctx, w.Account.MemberID)
		if err != nil {
			return err
		}
		next := w
		next.Account = w.Account.Clone()
		next.Account.Version = cur.Version + 1
		if err := s.Store.Save(ctx, next); !errors.Is(err, loyalty.ErrConflict) {
			return err
		}
	}
}

// acceptsSkippedVersions takes any version newer than the stored one.
type acceptsSkippedVersions struct{ loyalty.Store }

func (s acceptsSkippedVersions) Save(ctx context.Context, w loyalty.Write) error {
	cur, err := s.GetAccount(ctx, w.Account.MemberID)
	if err == nil && w.Account.Version > cur.Version+1 {
		w.Account = w.Account.Clone()
		want := w.Account.Version
		w.Account.Version = cur.Version + 1
		if err := s.Store.Save(ctx, w); err != nil {
			return err
		}
		// Bump the version as the skipped write said.
		for v := cur.Version + 2; v <= want; v++ {
			w.Account.Version = v
			if err := s.Store.Save(ctx, loyalty.Write{Account: w.Account}); err != nil {
				return err
			}
		}
		return nil
	}
	return s.Store.Save(ctx, w)
}

// entriesBeforeVersionCheck appends entries to a table of its own before
// the version check, as an adapter without a transaction would.
type entriesBeforeVersionCheck struct {
	loyalty.Store
	mu    sync.Mutex
	extra map[string][]ledger.Entry
}

func (s *entriesBeforeVersionCheck) Save(ctx context.Context, w loyalty.Write) error {
	err := s.Store.Save(ctx, w)
	if errors.Is(err, loyalty.ErrConflict) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.extra == nil {
			s.extra = map[string][]ledger.Entry{}
		}
		s.extra[w.Account.MemberID] = append(s.extra[w.Account.MemberID], w.Entries...)
	}
	return err
}

func (s *entriesBeforeVersionCheck) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return func(yield func(ledger.Entry, error) bool) {
		for e, err := range s.Store.Entries(ctx, id, after) {
			if !yield(e, err) {
				return
			}
		}
		s.mu.Lock()
		extra := append([]ledger.Entry(nil), s.extra[id]...)
		s.mu.Unlock()
		for _, e := range extra {
			if e.Seq > after && !yield(e, nil) {
				return
			}
		}
	}
}

// overwritesOperations replaces a recorded operation instead of refusing
// the write.
type overwritesOperations struct {
	loyalty.Store
	mu  sync.Mutex
	ops map[string]loyalty.Operation
}

func (s *overwritesOperations) Save(ctx context.Context, w loyalty.Write) error {
	op := w.Operation
	w.Operation = nil
	if err := s.Store.Save(ctx, w); err != nil {
		return err
	}
	if op != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.ops == nil {
			s.ops = map[string]loyalty.Operation{}
		}
		s.ops[op.Key] = *op
	}
	return nil
}

func (s *overwritesOperations) GetOperation(_ context.Context, key string) (loyalty.Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[key]
	if !ok {
		return op, loyalty.ErrNotFound
	}
	op.Result = append(json.RawMessage(nil), op.Result...)
	return op, nil
}

// operationFirst records the operation, then writes the account a moment
// later: readers can see a request as done before its effects.
type operationFirst struct {
	loyalty.Store
	mu      sync.Mutex
	pending map[string]loyalty.Operation
}

func (s *operationFirst) Save(ctx context.Context, w loyalty.Write) error {
	if w.Operation != nil {
		s.mu.Lock()
		if s.pending == nil {
			s.pending = map[string]loyalty.Operation{}
		}
		s.pending[w.Operation.Key] = *w.Operation
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		defer func() {
			s.mu.Lock()
			delete(s.pending, w.Operation.Key)
			s.mu.Unlock()
		}()
	}
	return s.Store.Save(ctx, w)
}

func (s *operationFirst) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	s.mu.Lock()
	op, ok := s.pending[key]
	s.mu.Unlock()
	if ok {
		return op, nil
	}
	return s.Store.GetOperation(ctx, key)
}

// normalisesResults keeps results as a JSON column that re-encodes them
// would.
type normalisesResults struct{ loyalty.Store }

func (s normalisesResults) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	op, err := s.Store.GetOperation(ctx, key)
	if err != nil {
		return op, err
	}
	var v any
	if err := json.Unmarshal(op.Result, &v); err != nil {
		return op, err
	}
	op.Result, err = json.Marshal(v)
	return op, err
}

// millisecondTimes keeps header and lot times to the millisecond only.
type millisecondTimes struct{ loyalty.Store }

func (s millisecondTimes) Save(ctx context.Context, w loyalty.Write) error {
	w.Account = w.Account.Clone()
	w.Account.MergingAt = w.Account.MergingAt.Truncate(time.Millisecond)
	w.Lots = slices.Clone(w.Lots)
	for i := range w.Lots {
		w.Lots[i].ExpiresAt = w.Lots[i].ExpiresAt.Truncate(time.Millisecond)
	}
	return s.Store.Save(ctx, w)
}

// rewritesOldEntries shows earlier entries changed once later ones exist
// (as a store that "compacts" history would).
type rewritesOldEntries struct{ loyalty.Store }

func (s rewritesOldEntries) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return func(yield func(ledger.Entry, error) bool) {
		acct, err := s.GetAccount(ctx, id)
		last := acct.Points.Seq()
		for e, err2 := range s.Store.Entries(ctx, id, after) {
			if err == nil && err2 == nil && last > 8 && e.Seq == 1 {
				e.Reason = "compacted"
			}
			if !yield(e, err2) {
				return
			}
		}
	}
}

// inclusiveAfterSeq yields the entry at afterSeq too.
type inclusiveAfterSeq struct{ loyalty.Store }

func (s inclusiveAfterSeq) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return s.Store.Entries(ctx, id, after-1)
}

// inclusiveAfter yields the account named by after too.
type inclusiveAfter struct{ loyalty.Store }

func (s inclusiveAfter) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		if a, err := s.GetAccount(ctx, after); err == nil && !yield(a, nil) {
			return
		}
		for a, err := range s.Store.Accounts(ctx, after) {
			if !yield(a, err) {
				return
			}
		}
	}
}

// caseInsensitiveOrder sorts accounts as a case-insensitive collation
// would.
type caseInsensitiveOrder struct{ loyalty.Store }

func (s caseInsensitiveOrder) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		var all []loyalty.Account
		for a, err := range s.Store.Accounts(ctx, after) {
			if err != nil {
				yield(a, err)
				return
			}
			all = append(all, a)
		}
		sortFold(all)
		for _, a := range all {
			if !yield(a, nil) {
				return
			}
		}
	}
}

func sortFold(all []loyalty.Account) {
	for i := 1; i < len(all); i++ {
		for j := i; j > 0 && strings.ToLower(all[j].MemberID) < strings.ToLower(all[j-1].MemberID); j-- {
			all[j], all[j-1] = all[j-1], all[j]
		}
	}
}

// ignoresContext lists entries whatever happens to the context.
type ignoresContext struct{ loyalty.Store }

func (s ignoresContext) Entries(_ context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return s.Store.Entries(context.Background(), id, after)
}

// yieldsAfterBreak ignores yield's answer.
type yieldsAfterBreak struct{ loyalty.Store }

func (s yieldsAfterBreak) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		for a, err := range s.Store.Accounts(ctx, after) {
			yield(a, err)
		}
	}
}

// sharesResults hands out the same result bytes to repeated reads, as a
// cache returning its own entry would.
type sharesResults struct {
	loyalty.Store
	mu    sync.Mutex
	cache map[string]loyalty.Operation
}

func (s *sharesResults) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if op, ok := s.cache[key]; ok {
		return op, nil
	}
	op, err := s.Store.GetOperation(ctx, key)
	if err != nil {
		return op, err
	}
	if s.cache == nil {
		s.cache = map[string]loyalty.Operation{}
	}
	s.cache[key] = op
	return op, nil
}

// locksWhileYielding holds a store-wide lock for the whole of an Accounts
// loop, as an adapter reading inside a single-connection transaction
// would.
type locksWhileYielding struct {
	loyalty.Store
	mu sync.Mutex
}

func (s *locksWhileYielding) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return func(yield func(loyalty.Account, error) bool) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for a, err := range s.Store.Accounts(ctx, after) {
			if !yield(a, err) {
				return
			}
		}
	}
}

func (s *locksWhileYielding) Save(ctx context.Context, w loyalty.Write) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Store.Save(ctx, w)
}

// dropsPurchases has no column for Account.Purchases.
type dropsPurchases struct{ loyalty.Store }

func (s dropsPurchases) Save(ctx context.Context, w loyalty.Write) error {
	w.Account = w.Account.Clone()
	w.Account.Purchases = 0
	return s.Store.Save(ctx, w)
}

// patchesActivity updates the header field by field, as a document store
// patching fields would, and keeps the old Activity when the new one is
// shorter.
type patchesActivity struct{ loyalty.Store }

func (s patchesActivity) Save(ctx context.Context, w loyalty.Write) error {
	if old, err := s.GetAccount(ctx, w.Account.MemberID); err == nil && len(old.Activity) > len(w.Account.Activity) {
		w.Account = w.Account.Clone()
		w.Account.Activity = old.Activity
	}
	return s.Store.Save(ctx, w)
}

// keepsCallersAccount serves the account value it was given, sharing the
// caller's slices and maps.
type keepsCallersAccount struct {
	loyalty.Store
	mu    sync.Mutex
	given map[string]loyalty.Account
}

func (s *keepsCallersAccount) Save(ctx context.Context, w loyalty.Write) error {
	if err := s.Store.Save(ctx, w); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.given == nil {
		s.given = map[string]loyalty.Account{}
	}
	s.given[w.Account.MemberID] = w.Account
	return nil
}

func (s *keepsCallersAccount) GetAccount(ctx context.Context, id string) (loyalty.Account, error) {
	s.mu.Lock()
	a, ok := s.given[id]
	s.mu.Unlock()
	if ok {
		return a, nil
	}
	return s.Store.GetAccount(ctx, id)
}

// upsertOnCreate checks that a new account does not exist yet, then
// writes it whatever happened meanwhile.
type upsertOnCreate struct{ loyalty.Store }

func (s upsertOnCreate) Save(ctx context.Context, w loyalty.Write) error {
	if w.Account.Version != 1 {
		return s.Store.Save(ctx, w)
	}
	if _, err := s.GetAccount(ctx, w.Account.MemberID); err == nil {
		return loyalty.ErrConflict
	}
	time.Sleep(2 * time.Millisecond)
	for {
		next := w
		next.Account = w.Account.Clone()
		if cur, err := s.GetAccount(ctx, w.Account.MemberID); err == nil {
			next.Account.Version = cur.Version + 1
		}
		if err := s.Store.Save(ctx, next); !errors.Is(err, loyalty.ErrConflict) {
			return err
		}
	}
}

// keysPerMember makes operation keys unique per member only.
type keysPerMember struct {
	loyalty.Store
	mu  sync.Mutex
	ops map[[2]string]loyalty.Operation
}

func (s *keysPerMember) Save(ctx context.Context, w loyalty.Write) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	op := w.Operation
	if op != nil {
		if _, dup := s.ops[[2]string{w.Account.MemberID, op.Key}]; dup {
			return loyalty.ErrAlreadyExists
		}
	}
	w.Operation = nil
	if err := s.Store.Save(ctx, w); err != nil {
		return err
	}
	if op != nil {
		if s.ops == nil {
			s.ops = map[[2]string]loyalty.Operation{}
		}
		s.ops[[2]string{w.Account.MemberID, op.Key}] = *op
	}
	return nil
}

func (s *keysPerMember) GetOperation(_ context.Context, key string) (loyalty.Operation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, op := range s.ops {
		if k[1] == key {
			op.Result = append(json.RawMessage(nil), op.Result...)
			return op, nil
		}
	}
	return loyalty.Operation{}, loyalty.ErrNotFound
}

// unknownMemberEntriesFail reports the entries of a member without an
// account as not found.
type unknownMemberEntriesFail struct{ loyalty.Store }

func (s unknownMemberEntriesFail) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	if _, err := s.GetAccount(ctx, id); err != nil {
		return func(yield func(ledger.Entry, error) bool) { yield(ledger.Entry{}, err) }
	}
	return s.Store.Entries(ctx, id, after)
}

// entriesNamedByKey gives every entry the ID and account of the key it is
// kept under, as a store leaving them out of every document would.
type entriesNamedByKey struct{ loyalty.Store }

func (s entriesNamedByKey) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return func(yield func(ledger.Entry, error) bool) {
		for e, err := range s.Store.Entries(ctx, id, after) {
			e.Account, e.ID = id, id+"#"+strconv.FormatInt(e.Seq, 10)
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

// acceptsVersionZero creates an account written with version 0 as
// version 1.
type acceptsVersionZero struct{ loyalty.Store }

func (s acceptsVersionZero) Save(ctx context.Context, w loyalty.Write) error {
	if w.Account.Version == 0 {
		w.Account = w.Account.Clone()
		w.Account.Version = 1
	}
	return s.Store.Save(ctx, w)
}

// operationSentinelLost reports a missing operation in words only.
type operationSentinelLost struct{ loyalty.Store }

func (s operationSentinelLost) GetOperation(ctx context.Context, key string) (loyalty.Operation, error) {
	op, err := s.Store.GetOperation(ctx, key)
	if err != nil {
		return op, errors.New("no such operation")
	}
	return op, nil
}

// validatesBeforeVersion refuses an impossible header as invalid before it
// looks at the version.
type validatesBeforeVersion struct{ loyalty.Store }

func (s validatesBeforeVersion) Save(ctx context.Context, w loyalty.Write) error {
	if _, err := ledger.FromHeader(w.Account.Points.Header()); err != nil {
		return loyalty.ErrInvalid
	}
	return s.Store.Save(ctx, w)
}
