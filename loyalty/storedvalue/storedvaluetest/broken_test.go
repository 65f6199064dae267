package storedvaluetest_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/clientele-go/clientele/loyalty/storedvalue/storedvaluetest"
)

// The kit checks itself: each store below breaks one sentence of the
// contract, and the kit must fail it on the rule for that sentence. They
// run in a child process (this test binary again, with brokenEnv set),
// since a failing subtest cannot be watched from its parent.

const brokenEnv = "STOREDVALUETEST_RUN_BROKEN_STORES"

func mem() storedvalue.Store { return storedvalue.NewMemoryStore() }

var broken = []kit.Broken[storedvalue.Store]{
	{Name: "LosesSentinel", Rule: "GetAccount/MissingIsNotFound", Store: func() storedvalue.Store { return losesSentinel{mem()} }},
	{Name: "CodeLookupFindsAny", Rule: "AccountByCode/MissingIsNotFound", Store: func() storedvalue.Store { return codeLookupFindsAny{mem()} }},
	{Name: "CheckThenWrite", Rule: "Save/ConcurrentSameVersionOneWins", Store: func() storedvalue.Store { return &checkThenWrite{Store: mem()} }},
	{Name: "AcceptsSkippedVersions", Rule: "Save/SkippedVersionIsConflictWritingNothing", Store: func() storedvalue.Store { return acceptsSkippedVersions{mem()} }},
	{Name: "LastWriterWins", Rule: "Save/StaleVersionIsConflictWritingNothing", Store: func() storedvalue.Store { return lastWriterWins{mem()} }},
	{Name: "KeyBeforeVersion", Rule: "Save/VersionIsCheckedBeforeTheOperationKey", Store: func() storedvalue.Store { return &keyBeforeVersion{Store: mem()} }},
	{Name: "DropsReusedOperation", Rule: "Save/ReusedOperationKeyIsAlreadyExistsWritingNothing", Store: func() storedvalue.Store { return dropsReusedOperation{mem()} }},
	{Name: "SharesCodeKeys", Rule: "Save/TakenCodeKeyIsAlreadyExistsWritingNothing", Store: func() storedvalue.Store { return sharesCodeKeys{mem()} }},
	{Name: "DropsHolder", Rule: "Save/CreateIsVersionOneAndRoundTrips", Store: func() storedvalue.Store { return dropsHolder{mem()} }},
	{Name: "SortsPartsByID", Rule: "SpendingParts/OpenPartsOfTheKindInSpendingOrder", Store: func() storedvalue.Store { return sortsPartsByID{mem()} }},
	{Name: "MixesKinds", Rule: "SpendingParts/OpenPartsOfTheKindInSpendingOrder", Store: func() storedvalue.Store { return mixesKinds{mem()} }},
	{Name: "InclusiveAfterSeq", Rule: "Entries/AfterSeqFilters", Store: func() storedvalue.Store { return inclusiveAfterSeq{mem()} }},
	{Name: "InclusiveAfter", Rule: "Accounts/AfterIsExclusive", Store: func() storedvalue.Store { return inclusiveAfter{mem()} }},
	{Name: "IgnoresContext", Rule: "Iterators/CancelledContextIsError/Entries", Store: func() storedvalue.Store { return ignoresContext{mem()} }},
	{Name: "YieldsAfterBreak", Rule: "Iterators/EarlyBreakStops/Accounts", Store: func() storedvalue.Store { return yieldsAfterBreak{mem()} }},
	{Name: "MillisecondTimes", Rule: "TimePrecision/MicrosecondsInZonesRoundTrip", Store: func() storedvalue.Store { return millisecondTimes{mem()} }},
	{Name: "SharesPunch", Rule: "Copies/ReturnedAccountsAreCopies", Store: func() storedvalue.Store { return &sharesPunch{Store: mem()} }},
	{Name: "TrimsResults", Rule: "GetOperation/ResultBytesRoundTripExactly", Store: func() storedvalue.Store { return trimsResults{mem()} }},
	{Name: "AppendsRecords", Rule: "GetRecords/ReplacedByKindAndKey", Store: func() storedvalue.Store { return &appendsRecords{Store: mem()} }},
	{Name: "PartsInStoredOrder", Rule: "Parts/ByIDInTheOrderAskedSkippingMissing", Store: func() storedvalue.Store { return partsInStoredOrder{mem()} }},
	{Name: "InsertOnlyParts", Rule: "Parts/ReplacedByID", Store: func() storedvalue.Store { return &insertOnlyParts{Store: mem()} }},
	{Name: "YieldsHeldParts", Rule: "SpendingParts/HeldOnlyPartsAreNotOpen", Store: func() storedvalue.Store { return yieldsHeldParts{mem()} }},
	{Name: "AllPartsSkipsSpent", Rule: "AllParts/EveryPartByIDByteOrder", Store: func() storedvalue.Store { return allPartsSkipsSpent{mem()} }},
	{Name: "RecordsInStoredOrder", Rule: "GetRecords/ByKeyInTheOrderAskedSkippingMissing", Store: func() storedvalue.Store { return recordsInStoredOrder{mem()} }},
	{Name: "MissingOperationIsZero", Rule: "GetOperation/MissingIsNotFound", Store: func() storedvalue.Store { return missingOperationIsZero{mem()} }},
	{Name: "UnknownAccountEntriesFail", Rule: "Entries/UnknownAccountIsEmpty", Store: func() storedvalue.Store { return unknownAccountEntriesFail{mem()} }},
	{Name: "RewritesOldEntries", Rule: "Entries/NeverChangedByLaterWrites", Store: func() storedvalue.Store { return rewritesOldEntries{mem()} }},
	{Name: "CaseInsensitiveOrder", Rule: "Accounts/AscendingIDByteOrder", Store: func() storedvalue.Store { return caseInsensitiveOrder{mem()} }},
	{Name: "UpsertOnCreate", Rule: "Save/ConcurrentCreatesOfOneAccountOneWins", Store: func() storedvalue.Store { return &upsertOnCreate{Store: mem()} }},
	{Name: "PatchesHolder", Rule: "Save/UpdateReplacesTheWholeHeader", Store: func() storedvalue.Store { return patchesHolder{mem()} }},
	{Name: "EpochForZeroExpiry", Rule: "TimePrecision/ZeroTimesStayZero", Store: func() storedvalue.Store { return epochForZeroExpiry{mem()} }},
	{Name: "IgnoresCancelMidway", Rule: "Iterators/CancelMidwayIsError/AllParts", Store: func() storedvalue.Store { return ignoresCancelMidway{mem()} }},
	{Name: "IgnoresDecoy", Rule: "AccountByCode/DecoyOnAMissOnly", Store: func() storedvalue.Store { return ignoresDecoy{mem()} }},
	{Name: "DueIgnoresUntil", Rule: "DueRecords/DueUpToUntilInOrder", Store: func() storedvalue.Store { return dueIgnoresUntil{mem()} }},
	{Name: "SharesRecordData", Rule: "Copies/ReturnedRecordsAreCopies", Store: func() storedvalue.Store { return &sharesRecordData{Store: mem()} }},
}

func TestKitCatchesBrokenStores(t *testing.T) {
	kit.CatchesBroken(t, brokenEnv, "TestBrokenStores", broken)
}

func TestBrokenStores(t *testing.T) {
	kit.RunBroken(t, brokenEnv, broken, storedvaluetest.Run)
}

func TestEveryBrokenStoreNamesARule(t *testing.T) {
	names := storedvaluetest.Names()
	for _, b := range broken {
		if !slices.Contains(names, b.Rule) {
			t.Errorf("%s names %s, which is no rule", b.Name, b.Rule)
		}
	}
}

type losesSentinel struct{ storedvalue.Store }

func (s losesSentinel) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	a, err := s.Store.GetAccount(ctx, id)
	if errors.Is(err, storedvalue.ErrNotFound) {
		return a, errors.New("no such account")
	}
	return a, err
}

type codeLookupFindsAny struct{ storedvalue.Store }

// AccountByCode answers by prefix, as a careless LIKE would.
func (s codeLookupFindsAny) AccountByCode(ctx context.Context, key, _ string) (storedvalue.Account, error) {
	for a, err := range s.Accounts(ctx, "") {
		if err != nil {
			return a, err
		}
		if strings.HasPrefix(a.CodeKey, strings.TrimSuffix(key, key[min(len(key), 4):])) {
			return a, nil
		}
	}
	return storedvalue.Account{}, storedvalue.ErrNotFound
}

// checkThenWrite checks the version, then writes in a second step, so two
// racing saves both pass the check.
type checkThenWrite struct {
	storedvalue.Store
	mu sync.Mutex
}

func (s *checkThenWrite) Save(ctx context.Context, w storedvalue.Write) error {
	cur, err := s.GetAccount(ctx, w.Account.ID)
	if err == nil && cur.Version != w.Account.Version-1 || err != nil && w.Account.Version != 1 {
		return storedvalue.ErrConflict
	}
	time.Sleep(2 * time.Millisecond)
	s.mu.Lock()
	defer s.mu.Unlock()
	if now, err := s.GetAccount(ctx, w.Account.ID); err == nil {
		w.Account.Version = now.Version + 1
	}
	return s.Store.Save(ctx, w)
}

type acceptsSkippedVersions struct{ storedvalue.Store }

func (s acceptsSkippedVersions) Save(ctx context.Context, w storedvalue.Write) error {
	if cur, err := s.GetAccount(ctx, w.Account.ID); err == nil && w.Account.Version > cur.Version+1 {
		w.Account.Version = cur.Version + 1
	}
	return s.Store.Save(ctx, w)
}

type lastWriterWins struct{ storedvalue.Store }

func (s lastWriterWins) Save(ctx context.Context, w storedvalue.Write) error {
	if cur, err := s.GetAccount(ctx, w.Account.ID); err == nil {
		w.Account.Version = cur.Version + 1
	}
	return s.Store.Save(ctx, w)
}

// keyBeforeVersion checks the operation key before the version.
type keyBeforeVersion struct{ storedvalue.Store }

func (s *keyBeforeVersion) Save(ctx context.Context, w storedvalue.Write) error {
	if w.Operation != nil {
		if _, err := s.GetOperation(ctx, w.Operation.Key); err == nil {
			return storedvalue.ErrAlreadyExists
		}
	}
	return s.Store.Save(ctx, w)
}

type dropsReusedOperation struct{ storedvalue.Store }

func (s dropsReusedOperation) Save(ctx context.Context, w storedvalue.Write) error {
	err := s.Store.Save(ctx, w)
	if errors.Is(err, storedvalue.ErrAlreadyExists) {
		w.Operation = nil
		return s.Store.Save(ctx, w)
	}
	return err
}

type sharesCodeKeys struct{ storedvalue.Store }

func (s sharesCodeKeys) Save(ctx context.Context, w storedvalue.Write) error {
	err := s.Store.Save(ctx, w)
	if errors.Is(err, storedvalue.ErrAlreadyExists) && w.Account.CodeKey != "" {
		w.Account.CodeKey += "#"
		return s.Store.Save(ctx, w)
	}
	return err
}

type dropsHolder struct{ storedvalue.Store }

func (s dropsHolder) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	a, err := s.Store.GetAccount(ctx, id)
	a.Holder = ""
	return a, err
}

type sortsPartsByID struct{ storedvalue.Store }

func (s sortsPartsByID) SpendingParts(ctx context.Context, id string, kind storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	return func(yield func(storedvalue.Part, error) bool) {
		for p, err := range s.AllParts(ctx, id) {
			if err != nil || p.Kind == kind && p.Remaining > 0 {
				if !yield(p, err) {
					return
				}
			}
		}
	}
}

type mixesKinds struct{ storedvalue.Store }

func (s mixesKinds) SpendingParts(ctx context.Context, id string, _ storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	return func(yield func(storedvalue.Part, error) bool) {
		for _, k := range []storedvalue.PartKind{storedvalue.BonusPart, storedvalue.PaidPart} {
			for p, err := range s.Store.SpendingParts(ctx, id, k) {
				if !yield(p, err) {
					return
				}
			}
		}
	}
}

type inclusiveAfterSeq struct{ storedvalue.Store }

func (s inclusiveAfterSeq) Entries(ctx context.Context, id string, after int64) iter.Seq2[storedvalue.Entry, error] {
	return s.Store.Entries(ctx, id, max(after-1, 0))
}

type inclusiveAfter struct{ storedvalue.Store }

func (s inclusiveAfter) Accounts(ctx context.Context, after string) iter.Seq2[storedvalue.Account, error] {
	return func(yield func(storedvalue.Account, error) bool) {
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

type ignoresContext struct{ storedvalue.Store }

func (s ignoresContext) Entries(ctx context.Context, id string, after int64) iter.Seq2[storedvalue.Entry, error] {
	return s.Store.Entries(context.WithoutCancel(ctx), id, after)
}

type yieldsAfterBreak struct{ storedvalue.Store }

func (s yieldsAfterBreak) Accounts(ctx context.Context, after string) iter.Seq2[storedvalue.Account, error] {
	return func(yield func(storedvalue.Account, error) bool) {
		for a, err := range s.Store.Accounts(ctx, after) {
			yield(a, err)
		}
	}
}

type millisecondTimes struct{ storedvalue.Store }

func (s millisecondTimes) Save(ctx context.Context, w storedvalue.Write) error {
	w.Account.CreatedAt = w.Account.CreatedAt.Truncate(time.Millisecond)
	return s.Store.Save(ctx, w)
}

// sharesPunch hands out the same Punch every time.
type sharesPunch struct {
	storedvalue.Store
	mu    sync.Mutex
	punch map[string]*storedvalue.Punch
}

func (s *sharesPunch) GetAccount(ctx context.Context, id string) (storedvalue.Account, error) {
	a, err := s.Store.GetAccount(ctx, id)
	if err != nil || a.Punch == nil {
		return a, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.punch == nil {
		s.punch = map[string]*storedvalue.Punch{}
	}
	if p, ok := s.punch[id]; ok {
		a.Punch = p
	} else {
		s.punch[id] = a.Punch
	}
	return a, nil
}

type trimsResults struct{ storedvalue.Store }

func (s trimsResults) GetOperation(ctx context.Context, key string) (storedvalue.Operation, error) {
	op, err := s.Store.GetOperation(ctx, key)
	op.Result = []byte(strings.TrimSpace(string(op.Result)))
	return op, err
}

// appendsRecords keeps the first record of a kind and key, as an INSERT
// ... ON CONFLICT DO NOTHING would.
type appendsRecords struct {
	storedvalue.Store
}

func (s *appendsRecords) Save(ctx context.Context, w storedvalue.Write) error {
	var keep []storedvalue.Record
	for _, r := range w.Records {
		got, err := s.GetRecords(ctx, w.Account.ID, r.Kind, []string{r.Key})
		if err != nil {
			return err
		}
		if len(got) == 0 {
			keep = append(keep, r)
		}
	}
	w.Records = keep
	return s.Store.Save(ctx, w)
}

type partsInStoredOrder struct{ storedvalue.Store }

func (s partsInStoredOrder) Parts(ctx context.Context, id string, ids []string) ([]storedvalue.Part, error) {
	ps, err := s.Store.Parts(ctx, id, ids)
	slices.SortFunc(ps, func(a, b storedvalue.Part) int { return strings.Compare(a.ID, b.ID) })
	return ps, err
}

// insertOnlyParts keeps the first version of a part, as INSERT ... ON
// CONFLICT DO NOTHING would.
type insertOnlyParts struct{ storedvalue.Store }

func (s *insertOnlyParts) Save(ctx context.Context, w storedvalue.Write) error {
	var keep []storedvalue.Part
	for _, p := range w.Parts {
		got, err := s.Parts(ctx, w.Account.ID, []string{p.ID})
		if err != nil {
			return err
		}
		if len(got) == 0 {
			keep = append(keep, p)
		}
	}
	w.Parts = keep
	return s.Store.Save(ctx, w)
}

// yieldsHeldParts counts held money as open.
type yieldsHeldParts struct{ storedvalue.Store }

func (s yieldsHeldParts) SpendingParts(ctx context.Context, id string, kind storedvalue.PartKind) iter.Seq2[storedvalue.Part, error] {
	return func(yield func(storedvalue.Part, error) bool) {
		for p, err := range s.AllParts(ctx, id) {
			if err != nil || p.Kind == kind && p.Remaining+p.Held > 0 {
				if !yield(p, err) {
					return
				}
			}
		}
	}
}

type allPartsSkipsSpent struct{ storedvalue.Store }

func (s allPartsSkipsSpent) AllParts(ctx context.Context, id string) iter.Seq2[storedvalue.Part, error] {
	return func(yield func(storedvalue.Part, error) bool) {
		for p, err := range s.Store.AllParts(ctx, id) {
			if (err != nil || p.Remaining > 0) && !yield(p, err) {
				return
			}
		}
	}
}

type recordsInStoredOrder struct{ storedvalue.Store }

func (s recordsInStoredOrder) GetRecords(ctx context.Context, id string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	rs, err := s.Store.GetRecords(ctx, id, kind, keys)
	slices.SortFunc(rs, func(a, b storedvalue.Record) int { return strings.Compare(a.Key, b.Key) })
	return rs, err
}

type missingOperationIsZero struct{ storedvalue.Store }

func (s missingOperationIsZero) GetOperation(ctx context.Context, key string) (storedvalue.Operation, error) {
	op, err := s.Store.GetOperation(ctx, key)
	if errors.Is(err, storedvalue.ErrNotFound) {
		return storedvalue.Operation{Key: key}, nil
	}
	return op, err
}

type unknownAccountEntriesFail struct{ storedvalue.Store }

func (s unknownAccountEntriesFail) Entries(ctx context.Context, id string, after int64) iter.Seq2[storedvalue.Entry, error] {
	if _, err := s.GetAccount(ctx, id); err != nil {
		return func(yield func(storedvalue.Entry, error) bool) { yield(storedvalue.Entry{}, err) }
	}
	return s.Store.Entries(ctx, id, after)
}

// rewritesOldEntries reports every entry with the latest entry's time.
type rewritesOldEntries struct{ storedvalue.Store }

func (s rewritesOldEntries) Entries(ctx context.Context, id string, after int64) iter.Seq2[storedvalue.Entry, error] {
	return func(yield func(storedvalue.Entry, error) bool) {
		var all []storedvalue.Entry
		for e, err := range s.Store.Entries(ctx, id, after) {
			if err != nil {
				yield(e, err)
				return
			}
			all = append(all, e)
		}
		for _, e := range all {
			e.At = all[len(all)-1].At
			if !yield(e, nil) {
				return
			}
		}
	}
}

type caseInsensitiveOrder struct{ storedvalue.Store }

func (s caseInsensitiveOrder) Accounts(ctx context.Context, after string) iter.Seq2[storedvalue.Account, error] {
	return func(yield func(storedvalue.Account, error) bool) {
		var all []storedvalue.Account
		for a, err := range s.Store.Accounts(ctx, after) {
			if err != nil {
				yield(a, err)
				return
			}
			all = append(all, a)
		}
		slices.SortStableFunc(all, func(a, b storedvalue.Account) int {
			return strings.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID))
		})
		for _, a := range all {
			if !yield(a, nil) {
				return
			}
		}
	}
}

// upsertOnCreate lets a create of an existing account overwrite it.
type upsertOnCreate struct {
	storedvalue.Store
	mu sync.Mutex
}

func (s *upsertOnCreate) Save(ctx context.Context, w storedvalue.Write) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, err := s.GetAccount(ctx, w.Account.ID); err == nil && w.Account.Version == 1 {
		w.Account.Version = cur.Version + 1
	}
	return s.Store.Save(ctx, w)
}

// patchesHolder keeps the stored holder when a write clears it.
type patchesHolder struct{ storedvalue.Store }

func (s patchesHolder) Save(ctx context.Context, w storedvalue.Write) error {
	if cur, err := s.GetAccount(ctx, w.Account.ID); err == nil && w.Account.Holder == "" {
		w.Account.Holder = cur.Holder
	}
	return s.Store.Save(ctx, w)
}

// epochForZeroExpiry stores "never" as the Unix epoch, as a NOT NULL
// column with a 0 default would.
type epochForZeroExpiry struct{ storedvalue.Store }

func (s epochForZeroExpiry) Save(ctx context.Context, w storedvalue.Write) error {
	w.Parts = slices.Clone(w.Parts)
	for i := range w.Parts {
		if w.Parts[i].ExpiresAt.IsZero() {
			w.Parts[i].ExpiresAt = time.Unix(0, 0)
		}
	}
	return s.Store.Save(ctx, w)
}

// ignoresCancelMidway checks the context only before it starts.
type ignoresCancelMidway struct{ storedvalue.Store }

func (s ignoresCancelMidway) AllParts(ctx context.Context, id string) iter.Seq2[storedvalue.Part, error] {
	if err := ctx.Err(); err != nil {
		return s.Store.AllParts(ctx, id)
	}
	return s.Store.AllParts(context.WithoutCancel(ctx), id)
}

// sharesRecordData returns the same bytes to every reader.
type sharesRecordData struct {
	storedvalue.Store
	mu    sync.Mutex
	cache map[string][]byte
}

func (s *sharesRecordData) GetRecords(ctx context.Context, id string, kind storedvalue.RecordKind, keys []string) ([]storedvalue.Record, error) {
	rs, err := s.Store.GetRecords(ctx, id, kind, keys)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cache == nil {
		s.cache = map[string][]byte{}
	}
	for i, r := range rs {
		k := id + "|" + string(kind) + "|" + r.Key
		if d, ok := s.cache[k]; ok {
			rs[i].Data = d
		} else {
			s.cache[k] = r.Data
		}
	}
	return rs, err
}

type ignoresDecoy struct{ storedvalue.Store }

// AccountByCode reads only the key, as the store did before decoys.
func (s ignoresDecoy) AccountByCode(ctx context.Context, key, _ string) (storedvalue.Account, error) {
	return s.Store.AccountByCode(ctx, key, "")
}

type dueIgnoresUntil struct{ storedvalue.Store }

// DueRecords yields every indexed record, due or not.
func (s dueIgnoresUntil) DueRecords(ctx context.Context, kind storedvalue.RecordKind, _ time.Time, after storedvalue.DueRecord) iter.Seq2[storedvalue.DueRecord, error] {
	return s.Store.DueRecords(ctx, kind, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), after)
}
