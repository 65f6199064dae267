package loyaltytest_test

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Broken stores of lots and records: each breaks one sentence of the
// contract about lots, records or their indexes.

// yieldAll yields vs, then err if not nil, stopping on break.
func yieldAll[T any](vs []T, err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, v := range vs {
			if !yield(v, nil) {
				return
			}
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}

// drain reads seq to its end or its first error.
func drain[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

// completeAccount returns the whole account from GetAccount: every lot and
// operation loaded, as a store that keeps a snapshot would.
type completeAccount struct{ loyalty.Store }

func (s completeAccount) GetAccount(ctx context.Context, id string) (loyalty.Account, error) {
	return loyalty.LoadWhole(ctx, s.Store, id)
}

// refusesBareWrites wants every write to carry entries or an operation.
type refusesBareWrites struct{ loyalty.Store }

func (s refusesBareWrites) Save(ctx context.Context, w loyalty.Write) error {
	if len(w.Entries) == 0 && w.Operation == nil && w.Account.Version > 1 {
		return loyalty.ErrConflict
	}
	return s.Store.Save(ctx, w)
}

// recordsOnlyOnCreate writes records with a new account only, as an
// adapter that inserts them with the account row would.
type recordsOnlyOnCreate struct{ loyalty.Store }

func (s recordsOnlyOnCreate) Save(ctx context.Context, w loyalty.Write) error {
	if w.Account.Version > 1 {
		w.Records = nil
	}
	return s.Store.Save(ctx, w)
}

// lotsInsertOnly inserts lots and ignores those it holds already, as an
// INSERT ... ON CONFLICT DO NOTHING would.
type lotsInsertOnly struct{ loyalty.Store }

func (s lotsInsertOnly) Save(ctx context.Context, w loyalty.Write) error {
	var fresh []ledger.Lot
	for _, l := range w.Lots {
		if got, err := s.Lots(ctx, w.Account.MemberID, []string{l.ID}); err != nil || len(got) == 0 {
			fresh = append(fresh, l)
		}
	}
	w.Lots = fresh
	return s.Store.Save(ctx, w)
}

// recordsInsertOnly inserts records and ignores those it holds already.
type recordsInsertOnly struct{ loyalty.Store }

func (s recordsInsertOnly) Save(ctx context.Context, w loyalty.Write) error {
	var fresh []loyalty.Record
	for _, r := range w.Records {
		if got, err := s.GetRecords(ctx, w.Account.MemberID, r.Kind, []string{r.Key}); err != nil || len(got) == 0 {
			fresh = append(fresh, r)
		}
	}
	w.Records = fresh
	return s.Store.Save(ctx, w)
}

// keyedGlobally keys lots by ID and records by kind and key across the
// whole store, forgetting whose they are, for Lots and GetRecords.
type keyedGlobally struct {
	loyalty.Store
	mu      sync.Mutex
	lots    map[string]ledger.Lot
	records map[string]loyalty.Record
}

func (s *keyedGlobally) Save(ctx context.Context, w loyalty.Write) error {
	if err := s.Store.Save(ctx, w); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lots == nil {
		s.lots, s.records = map[string]ledger.Lot{}, map[string]loyalty.Record{}
	}
	for _, l := range w.Lots {
		s.lots[l.ID] = l
	}
	for _, r := range w.Records {
		r.Data = slices.Clone(r.Data)
		s.records[string(r.Kind)+"/"+r.Key] = r
	}
	return nil
}

func (s *keyedGlobally) Lots(_ context.Context, _ string, ids []string) ([]ledger.Lot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ledger.Lot
	for _, id := range ids {
		if l, ok := s.lots[id]; ok {
			out = append(out, l)
		}
	}
	return out, nil
}

func (s *keyedGlobally) GetRecords(_ context.Context, _ string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []loyalty.Record
	for _, k := range keys {
		if r, ok := s.records[string(kind)+"/"+k]; ok {
			r.Data = slices.Clone(r.Data)
			out = append(out, r)
		}
	}
	return out, nil
}

// keyCheckedAfterWrite writes the header, lots, records and entries, and
// only then finds the operation key taken: a store without one
// transaction around both.
type keyCheckedAfterWrite struct{ loyalty.Store }

func (s keyCheckedAfterWrite) Save(ctx context.Context, w loyalty.Write) error {
	err := s.Store.Save(ctx, w)
	if w.Operation != nil && errors.Is(err, loyalty.ErrAlreadyExists) {
		w.Operation = nil
		if err := s.Store.Save(ctx, w); err != nil {
			return err
		}
		return loyalty.ErrAlreadyExists
	}
	return err
}

// lotsSortedByID returns Lots by ID, not in the order asked.
type lotsSortedByID struct{ loyalty.Store }

func (s lotsSortedByID) Lots(ctx context.Context, id string, ids []string) ([]ledger.Lot, error) {
	out, err := s.Store.Lots(ctx, id, ids)
	slices.SortFunc(out, func(a, b ledger.Lot) int { return strings.Compare(a.ID, b.ID) })
	return out, err
}

// forgetsLapsed keeps a lot's counts but not what expiry took from it (a
// table without the lapsed columns).
type forgetsLapsed struct{ loyalty.Store }

func (s forgetsLapsed) Lots(ctx context.Context, id string, ids []string) ([]ledger.Lot, error) {
	out, err := s.Store.Lots(ctx, id, ids)
	for i := range out {
		out[i].Lapsed, out[i].LapsedAt = 0, time.Time{}
	}
	return out, err
}

// unknownMemberFails reports the lots and records of a member without an
// account as not found.
type unknownMemberFails struct{ loyalty.Store }

func (s unknownMemberFails) known(ctx context.Context, id string) error {
	_, err := s.GetAccount(ctx, id)
	return err
}

func (s unknownMemberFails) Lots(ctx context.Context, id string, ids []string) ([]ledger.Lot, error) {
	if err := s.known(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.Lots(ctx, id, ids)
}

func (s unknownMemberFails) SpendingLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	if err := s.known(ctx, id); err != nil {
		return yieldAll[ledger.Lot](nil, err)
	}
	return s.Store.SpendingLots(ctx, id)
}

func (s unknownMemberFails) GetRecords(ctx context.Context, id string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	if err := s.known(ctx, id); err != nil {
		return nil, err
	}
	return s.Store.GetRecords(ctx, id, kind, keys)
}

// collatedOrder orders lots and records the way a case-insensitive
// collation would: ties broken by the ID folded to lower case.
type collatedOrder struct{ loyalty.Store }

func foldCompare(a, b string) int {
	return cmp.Or(strings.Compare(strings.ToLower(a), strings.ToLower(b)), strings.Compare(a, b))
}

func (s collatedOrder) SpendingLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	lots, err := drain(s.Store.SpendingLots(ctx, id))
	slices.SortStableFunc(lots, func(a, b ledger.Lot) int {
		never := func(l ledger.Lot) int {
			if l.ExpiresAt.IsZero() {
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(never(a), never(b)), a.ExpiresAt.Compare(b.ExpiresAt), a.EarnedAt.Compare(b.EarnedAt), foldCompare(a.ID, b.ID))
	})
	return yieldAll(lots, err)
}

func (s collatedOrder) Records(ctx context.Context, id string, kind loyalty.RecordKind) iter.Seq2[loyalty.Record, error] {
	recs, err := drain(s.Store.Records(ctx, id, kind))
	slices.SortStableFunc(recs, func(a, b loyalty.Record) int { return foldCompare(a.Key, b.Key) })
	return yieldAll(recs, err)
}

// spendingIncludesClosed yields every lot in spending order, spent ones
// too.
type spendingIncludesClosed struct{ loyalty.Store }

func (s spendingIncludesClosed) SpendingLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	lots, err := drain(s.AllLots(ctx, id))
	slices.SortFunc(lots, ledger.SpendingOrder)
	return yieldAll(lots, err)
}

// staleSpendingIndex indexes a lot for spending when it is first written
// and never updates the index: a lot spent later stays in it, as first
// written.
type staleSpendingIndex struct {
	loyalty.Store
	mu    sync.Mutex
	index map[string]map[string]ledger.Lot
}

func (s *staleSpendingIndex) Save(ctx context.Context, w loyalty.Write) error {
	if err := s.Store.Save(ctx, w); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.index == nil {
		s.index = map[string]map[string]ledger.Lot{}
	}
	m := s.index[w.Account.MemberID]
	if m == nil {
		m = map[string]ledger.Lot{}
		s.index[w.Account.MemberID] = m
	}
	for _, l := range w.Lots {
		if _, ok := m[l.ID]; !ok && l.Remaining > 0 {
			m[l.ID] = l
		}
	}
	return nil
}

func (s *staleSpendingIndex) SpendingLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	s.mu.Lock()
	var lots []ledger.Lot
	for _, l := range s.index[id] {
		lots = append(lots, l)
	}
	s.mu.Unlock()
	slices.SortFunc(lots, ledger.SpendingOrder)
	return yieldAll(lots, ctx.Err())
}

// pendingExclusiveThrough leaves out the lots due exactly at through.
type pendingExclusiveThrough struct{ loyalty.Store }

func (s pendingExclusiveThrough) PendingLots(ctx context.Context, id string, through time.Time) iter.Seq2[ledger.Lot, error] {
	return s.Store.PendingLots(ctx, id, through.Add(-time.Nanosecond))
}

// allLotsOpenOnly forgets lots spent to nothing.
type allLotsOpenOnly struct{ loyalty.Store }

func (s allLotsOpenOnly) AllLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	lots, err := drain(s.Store.AllLots(ctx, id))
	lots = slices.DeleteFunc(lots, func(l ledger.Lot) bool { return l.Remaining == 0 })
	return yieldAll(lots, err)
}

// getRecordsSortedByKey returns GetRecords by key, not in the order asked.
type getRecordsSortedByKey struct{ loyalty.Store }

func (s getRecordsSortedByKey) GetRecords(ctx context.Context, id string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	out, err := s.Store.GetRecords(ctx, id, kind, keys)
	slices.SortFunc(out, func(a, b loyalty.Record) int { return strings.Compare(a.Key, b.Key) })
	return out, err
}

// getRecordsAnyKind finds a key in any kind when the kind asked has none.
type getRecordsAnyKind struct{ loyalty.Store }

var allKinds = []loyalty.RecordKind{loyalty.RecordOperation, loyalty.RecordPurchase, loyalty.RecordCoupon, loyalty.RecordRewardCount}

func (s getRecordsAnyKind) GetRecords(ctx context.Context, id string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	var out []loyalty.Record
	for _, k := range keys {
		for _, kd := range append([]loyalty.RecordKind{kind}, allKinds...) {
			got, err := s.Store.GetRecords(ctx, id, kd, []string{k})
			if err != nil {
				return nil, err
			}
			if len(got) > 0 {
				out = append(out, got[0])
				break
			}
		}
	}
	return out, nil
}

// recordsAsText keeps record data in a text column: invalid UTF-8
// replaced, zero bytes dropped.
type recordsAsText struct{ loyalty.Store }

func (s recordsAsText) Save(ctx context.Context, w loyalty.Write) error {
	recs := make([]loyalty.Record, len(w.Records))
	for i, r := range w.Records {
		r.Data = []byte(strings.ReplaceAll(strings.ToValidUTF8(string(r.Data), "\uFFFD"), "\x00", ""))
		recs[i] = r
	}
	w.Records = recs
	return s.Store.Save(ctx, w)
}

// sharesReads hands out the same slices and bytes to repeated reads of
// lots and records, as a cache returning its own entry would.
type sharesReads struct {
	loyalty.Store
	mu      sync.Mutex
	lots    map[string][]ledger.Lot
	records map[string][]loyalty.Record
}

func (s *sharesReads) Lots(ctx context.Context, id string, ids []string) ([]ledger.Lot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := id + "\x00" + strings.Join(ids, "\x00")
	if got, ok := s.lots[k]; ok {
		return got, nil
	}
	got, err := s.Store.Lots(ctx, id, ids)
	if err == nil {
		if s.lots == nil {
			s.lots = map[string][]ledger.Lot{}
		}
		s.lots[k] = got
	}
	return got, err
}

func (s *sharesReads) GetRecords(ctx context.Context, id string, kind loyalty.RecordKind, keys []string) ([]loyalty.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := id + "\x00" + string(kind) + "\x00" + strings.Join(keys, "\x00")
	if got, ok := s.records[k]; ok {
		return got, nil
	}
	got, err := s.Store.GetRecords(ctx, id, kind, keys)
	if err == nil {
		if s.records == nil {
			s.records = map[string][]loyalty.Record{}
		}
		s.records[k] = got
	}
	return got, err
}

// lotTimes rewrites the lot times a store keeps: to the millisecond, or
// a zero time as the epoch (a NOT NULL column's default).
type lotTimes struct {
	loyalty.Store
	fix func(time.Time) time.Time
}

func (s lotTimes) Save(ctx context.Context, w loyalty.Write) error {
	w.Lots = slices.Clone(w.Lots)
	for i := range w.Lots {
		l := &w.Lots[i]
		l.EarnedAt, l.PendingUntil, l.ExpiresAt = s.fix(l.EarnedAt), s.fix(l.PendingUntil), s.fix(l.ExpiresAt)
	}
	return s.Store.Save(ctx, w)
}

func toMillisecond(t time.Time) time.Time { return t.Truncate(time.Millisecond) }

func zeroAsEpoch(t time.Time) time.Time {
	if t.IsZero() {
		return time.Unix(0, 0)
	}
	return t
}

// clampsBeforeEpoch keeps times as unsigned seconds since 1970: earlier
// ones become the epoch.
type clampsBeforeEpoch struct{ loyalty.Store }

func (s clampsBeforeEpoch) Save(ctx context.Context, w loyalty.Write) error {
	epoch := time.Unix(0, 0)
	w.Account = w.Account.Clone()
	if !w.Account.Tier.MemberSince.IsZero() && w.Account.Tier.MemberSince.Before(epoch) {
		w.Account.Tier.MemberSince = epoch
	}
	return s.Store.Save(ctx, w)
}

// iteratorMisbehaves breaks one iterator (only, by method name): it
// ignores the context, ignores a break, or holds a lock Save needs while
// it yields.
type iteratorMisbehaves struct {
	loyalty.Store
	only string
	how  string // "context", "break" or "lock"
	mu   sync.Mutex
}

func misbehave[T any](ctx context.Context, s *iteratorMisbehaves, name string, seq func(context.Context) iter.Seq2[T, error]) iter.Seq2[T, error] {
	if name != s.only {
		return seq(ctx)
	}
	switch s.how {
	case "context":
		return seq(context.Background())
	case "break":
		return func(yield func(T, error) bool) {
			for v, err := range seq(ctx) {
				yield(v, err)
			}
		}
	default:
		return func(yield func(T, error) bool) {
			s.mu.Lock()
			defer s.mu.Unlock()
			for v, err := range seq(ctx) {
				if !yield(v, err) {
					return
				}
			}
		}
	}
}

func (s *iteratorMisbehaves) Save(ctx context.Context, w loyalty.Write) error {
	if s.how == "lock" {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return s.Store.Save(ctx, w)
}

func (s *iteratorMisbehaves) SpendingLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	return misbehave(ctx, s, "SpendingLots", func(ctx context.Context) iter.Seq2[ledger.Lot, error] { return s.Store.SpendingLots(ctx, id) })
}

func (s *iteratorMisbehaves) PendingLots(ctx context.Context, id string, through time.Time) iter.Seq2[ledger.Lot, error] {
	return misbehave(ctx, s, "PendingLots", func(ctx context.Context) iter.Seq2[ledger.Lot, error] { return s.Store.PendingLots(ctx, id, through) })
}

func (s *iteratorMisbehaves) AllLots(ctx context.Context, id string) iter.Seq2[ledger.Lot, error] {
	return misbehave(ctx, s, "AllLots", func(ctx context.Context) iter.Seq2[ledger.Lot, error] { return s.Store.AllLots(ctx, id) })
}

func (s *iteratorMisbehaves) Records(ctx context.Context, id string, kind loyalty.RecordKind) iter.Seq2[loyalty.Record, error] {
	return misbehave(ctx, s, "Records", func(ctx context.Context) iter.Seq2[loyalty.Record, error] { return s.Store.Records(ctx, id, kind) })
}

func (s *iteratorMisbehaves) Entries(ctx context.Context, id string, after int64) iter.Seq2[ledger.Entry, error] {
	return misbehave(ctx, s, "Entries", func(ctx context.Context) iter.Seq2[ledger.Entry, error] { return s.Store.Entries(ctx, id, after) })
}

func (s *iteratorMisbehaves) Accounts(ctx context.Context, after string) iter.Seq2[loyalty.Account, error] {
	return misbehave(ctx, s, "Accounts", func(ctx context.Context) iter.Seq2[loyalty.Account, error] { return s.Store.Accounts(ctx, after) })
}
