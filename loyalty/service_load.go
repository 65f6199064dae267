package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// An operation reads the account header and only the records it touches
// (Store): needs says which, the loader reads them into the header's
// partial ledger account and a workset, and the write puts back what
// changed. If the ledger finds it was not given enough (a spend that the
// first lots in spending order did not cover, say), it fails with
// ledger.ErrPartial and the operation runs again with more loaded.

// needs is what an operation reads beside the header.
type needs struct {
	// at is the operation's time: open lots expired by then are loaded
	// (they come first in spending order).
	at time.Time
	// through, if after at, loads the open lots expiring by then too (the
	// expiry notices and the balance view list them).
	through time.Time
	// spend is how many points the operation may draw from open lots;
	// lots covering it (and the account's debt) are loaded.
	spend int64
	// overdue loads the lots expired by at even when nothing is spent.
	overdue bool
	// pending loads the unreleased lots due by at.
	pending bool
	// all loads every open lot.
	all bool

	lots      []string      // lots by ID
	ops       []ledgerOpRef // ledger operations (their lots come too)
	purchases []string      // purchase records (the redemption that paid comes too)
	// purchaseLots loads the purchases' lots too (a return claws back
	// from them).
	purchaseLots bool
	coupons      []string // coupon records
	counts       []string // reward counters, by rewardCountKey.String
}

type ledgerOpRef struct {
	kind ledger.EntryKind
	id   string
}

// purchaseState is a RecordPurchase: what happened to a purchase after it
// earned.
type purchaseState struct {
	// Returned are the lines returned so far.
	Returned []customer.ReturnLine `json:"returned,omitempty"`
	// ClawedBack is the points of returns clawed back from its lot.
	ClawedBack int64 `json:"clawedBack,omitempty"`
	// PaidWith is the redemption (or committed hold) that paid for part of it.
	PaidWith string `json:"paidWith,omitempty"`
	// Early are returns recorded before the purchase's earn, in the order
	// they arrived; the earn claws them back in time order.
	Early []earlyReturn `json:"early,omitempty"`
	// Quote is what the purchase earns now, when a fact that arrived late
	// changed it since its earn (service_requote.go); nil: its earn's.
	Quote *Quote `json:"quote,omitempty"`
	// Requotes counts those changes; each names its ledger operation.
	Requotes int `json:"requotes,omitempty"`
	// Returns are the returns clawed back from it, each with the
	// qualifying points it took from the member's activity: a re-quote
	// corrects those to what the return takes back under the new quote.
	Returns []returnFact `json:"returns,omitempty"`
}

// returnFact is one return as the member's activity counted it.
type returnFact struct {
	ID    string                `json:"id"`
	Time  time.Time             `json:"time"`
	Lines []customer.ReturnLine `json:"lines"`
	Owed  int64                 `json:"owed"` // the qualifying points it took back
}

// earlyReturn is a return that reached loyalty before its purchase's earn.
type earlyReturn struct {
	ID    string                `json:"id"`
	Time  time.Time             `json:"time"`
	Lines []customer.ReturnLine `json:"lines"`
}

// workset holds the records an operation loaded besides lots and ledger
// operations, and those it wrote.
type workset struct {
	purchases map[string]purchaseState
	coupons   map[string]Coupon
	counts    map[string]int64
	facts     map[string]QualifyingEvent // RecordActivity, by key
	monthData map[string][]byte          // RecordActivityMonth, by key: as read, or to write
	dirty     map[recordKey]bool
	// read reads the member's records of a kind by key, for what an
	// operation learns it needs only as it runs (the facts of summaries
	// a tier walk passes); nil for an account not stored yet.
	read func(kind RecordKind, keys []string) ([]Record, error)
	// src reads the recorded facts a re-quote needs (service_requote.go);
	// nil outside a write.
	src *factSource
	// loadedReturns are the purchases whose returned points a re-quote
	// loaded into the ledger account.
	loadedReturns map[string]bool
}

// newWorkset returns an empty workset. Its maps are made on first write:
// most operations touch one kind of record or none.
func newWorkset() *workset { return &workset{} }

// put is a map write that makes the map first.
func put[K comparable, V any](m *map[K]V, k K, v V) {
	if *m == nil {
		*m = map[K]V{}
	}
	(*m)[k] = v
}

func (w *workset) setPurchase(id string, ps purchaseState) {
	put(&w.purchases, id, ps)
	put(&w.dirty, recordKey{RecordPurchase, id}, true)
}

// paidWith records that a redemption (or hold) paid for part of a purchase,
// so that the purchase's return gives those points back.
func (w *workset) paidWith(purchase, redemption string) {
	ps := w.purchases[purchase]
	ps.PaidWith = redemption
	w.setPurchase(purchase, ps)
}

func (w *workset) setCoupon(c Coupon) {
	put(&w.coupons, c.ID, c)
	put(&w.dirty, recordKey{RecordCoupon, c.ID}, true)
}

func (w *workset) addCount(key string, n int64) {
	put(&w.counts, key, w.counts[key]+n)
	put(&w.dirty, recordKey{RecordRewardCount, key}, true)
}

// rewardCountKey names one reward's limit window: its start, zero for a
// lifetime limit.
type rewardCountKey struct {
	reward string
	start  time.Time
}

func (k rewardCountKey) String() string {
	if k.start.IsZero() {
		return k.reward + "@"
	}
	return k.reward + "@" + k.start.UTC().Format(time.RFC3339Nano)
}

// load reads what n names into acct's partial ledger and a new workset.
// An account not yet stored (version 0) has nothing to read. pre, if set,
// holds n.purchases' records, read with the header (Prefetcher).
func (s *Service) load(ctx context.Context, acct Account, n needs, pre *[]Record) (Account, *workset, error) {
	ws := newWorkset()
	ws.src = &factSource{ctx: ctx}
	var l ledger.Loaded
	if acct.Version == 0 {
		l.SpendingAll = true
		var err error
		acct.Points, err = acct.Points.Load(l)
		return acct, ws, err
	}
	member := acct.MemberID
	ws.read = s.recordReader(ctx, member)
	if err := s.loadRecords(ctx, member, n, ws, pre); err != nil {
		return acct, nil, err
	}
	lots := append([]string(nil), n.lots...)
	if n.purchaseLots {
		for _, id := range n.purchases { // a purchase's lots, returned from before or not
			lots = append(lots, purchaseLotIDs(id, ws.purchases[id].Requotes)...)
		}
	}
	opRefs := append([]ledgerOpRef(nil), n.ops...)
	for id, ps := range ws.purchases {
		if l.Returned == nil {
			l.Returned = map[string]int64{}
		}
		l.Returned[id] = ps.ClawedBack
		if ps.PaidWith != "" {
			opRefs = append(opRefs, ledgerOpRef{ledger.KindRedeem, ps.PaidWith})
		}
	}
	if len(opRefs) > 0 {
		ops, err := s.loadOps(ctx, member, opRefs)
		if err != nil {
			return acct, nil, err
		}
		l.Operations = ops
		for _, op := range ops {
			for _, p := range op.Portions {
				lots = append(lots, p.LotID)
			}
		}
	}
	if len(lots) > 0 {
		got, err := s.store.Lots(ctx, member, lots)
		if err != nil {
			return acct, nil, err
		}
		l.Lots = got
	}
	// The store's streams are read in functions of their own: a loop over
	// one here would move this function's account and results to the heap
	// (the loop's body is a closure the store's iterator calls).
	var err error
	if l.Spending, l.SpendingAll, err = s.loadSpending(ctx, member, acct.Points.Debt(), n); err != nil {
		return acct, nil, err
	}
	if n.pending {
		if l.Pending, err = s.pendingLots(ctx, member, n.at); err != nil {
			return acct, nil, err
		}
		l.PendingThrough = n.at
	}
	acct.Points, err = acct.Points.Load(l)
	return acct, ws, err
}

// pendingLots reads the member's unreleased lots due by at.
func (s *Service) pendingLots(ctx context.Context, member string, at time.Time) ([]ledger.Lot, error) {
	var out []ledger.Lot
	for lot, err := range s.store.PendingLots(ctx, member, at) {
		if err != nil {
			return nil, err
		}
		out = append(out, lot)
	}
	return out, nil
}

// loadSpending reads open lots in spending order until they hold every lot
// expired by n.at (and expiring by n.through) and cover the spend and the
// debt with points free at n.at; all reports that it read every open lot.
func (s *Service) loadSpending(ctx context.Context, member string, debt int64, n needs) (lots []ledger.Lot, all bool, err error) {
	want := n.spend + debt
	if want <= 0 && !n.overdue && !n.all && n.through.IsZero() {
		return nil, false, nil
	}
	return s.readSpending(ctx, member, want, n.at, latest(n.at, n.through), n.all)
}

// readSpending is loadSpending's loop. What the loop's body changes is one
// struct: the body is a closure the store's iterator calls, and each
// variable it changes would be a heap allocation of its own.
func (s *Service) readSpending(ctx context.Context, member string, want int64, at, through time.Time, all bool) ([]ledger.Lot, bool, error) {
	var r struct {
		lots    []ledger.Lot
		free    int64
		err     error
		covered bool
	}
	for lot, err := range s.store.SpendingLots(ctx, member) {
		if err != nil {
			r.err = err
			break
		}
		r.lots = append(r.lots, lot)
		if !lot.ExpiredAt(at) {
			r.free += lot.Free()
		}
		if !all && !lot.ExpiredAt(through) && r.free >= want {
			r.covered = true
			break
		}
	}
	if r.err != nil {
		return nil, false, r.err
	}
	return r.lots, !r.covered, nil
}

// recordReader reads the member's records by key as an operation runs.
func (s *Service) recordReader(ctx context.Context, member string) func(RecordKind, []string) ([]Record, error) {
	return func(kind RecordKind, keys []string) ([]Record, error) {
		return s.store.GetRecords(ctx, member, kind, keys)
	}
}

func (s *Service) loadRecords(ctx context.Context, member string, n needs, ws *workset, pre *[]Record) error {
	if len(n.purchases) > 0 {
		var recs []Record
		if pre != nil {
			recs = *pre
		} else {
			var err error
			if recs, err = s.store.GetRecords(ctx, member, RecordPurchase, n.purchases); err != nil {
				return err
			}
		}
		for _, r := range recs {
			var ps purchaseState
			if err := json.Unmarshal(r.Data, &ps); err != nil {
				return fmt.Errorf("loyalty: purchase record %s: %w", r.Key, err)
			}
			put(&ws.purchases, r.Key, ps)
		}
	}
	if len(n.coupons) > 0 {
		recs, err := s.store.GetRecords(ctx, member, RecordCoupon, n.coupons)
		if err != nil {
			return err
		}
		for _, r := range recs {
			var c Coupon
			if err := json.Unmarshal(r.Data, &c); err != nil {
				return fmt.Errorf("loyalty: coupon record %s: %w", r.Key, err)
			}
			put(&ws.coupons, r.Key, c)
		}
	}
	if len(n.counts) > 0 {
		recs, err := s.store.GetRecords(ctx, member, RecordRewardCount, n.counts)
		if err != nil {
			return err
		}
		for _, r := range recs {
			c, err := strconv.ParseInt(string(r.Data), 10, 64)
			if err != nil {
				return fmt.Errorf("loyalty: reward count %s: %w", r.Key, err)
			}
			put(&ws.counts, r.Key, c)
		}
	}
	return nil
}

func (s *Service) loadOps(ctx context.Context, member string, refs []ledgerOpRef) ([]ledger.Operation, error) {
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = ledger.OperationKey(r.kind, r.id)
	}
	recs, err := s.store.GetRecords(ctx, member, RecordOperation, keys)
	if err != nil {
		return nil, err
	}
	ops := make([]ledger.Operation, 0, len(recs))
	for _, r := range recs {
		op, err := decodeLedgerOp(r.Data)
		if err != nil {
			return nil, fmt.Errorf("loyalty: operation record %s: %w", r.Key, err)
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// changes turns what an operation wrote into the records of its Write:
// the lots and ledger operations its ledger account changed, and the
// workset's dirty records. Purchase records take the clawed-back points
// the ledger now holds.
func changes(acct Account, ws *workset) ([]ledger.Lot, []Record, error) {
	lots, ops := acct.Points.Changes()
	var recs []Record
	for i := range ops {
		op := &ops[i]
		data, err := encodeLedgerOp(op)
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, Record{Kind: RecordOperation, Key: ledger.OperationKey(op.Kind, op.ID), Data: data})
	}
	if ws == nil {
		return lots, recs, nil
	}
	for id, ps := range ws.purchases {
		if n := acct.Points.ReturnedPoints(id); n != ps.ClawedBack {
			ps.ClawedBack = n
			ws.setPurchase(id, ps)
		}
	}
	for k := range ws.dirty {
		var data []byte
		var err error
		switch k.kind {
		case RecordPurchase:
			data, err = json.Marshal(ws.purchases[k.key])
		case RecordCoupon:
			data, err = json.Marshal(ws.coupons[k.key])
		case RecordRewardCount:
			data = strconv.AppendInt(nil, ws.counts[k.key], 10)
		case RecordActivity:
			data, err = json.Marshal(ws.facts[k.key])
		case RecordActivityMonth:
			data = ws.monthData[k.key]
		}
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, Record{Kind: k.kind, Key: k.key, Data: data})
	}
	slices.SortFunc(recs, func(a, b Record) int { return compareRecords(recordKey{a.Kind, a.Key}, recordKey{b.Kind, b.Key}) })
	return lots, recs, nil
}

// morePartial widens what an operation loads after the ledger reported
// ErrPartial: the second time every open lot.
func morePartial(err error, n *needs) bool {
	if !errors.Is(err, ledger.ErrPartial) || n.all {
		return false
	}
	n.all = true
	return true
}
