package customer

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"time"
)

// HistoryKind says what a history entry holds.
type HistoryKind string

// History entry kinds.
const (
	HistoryPurchase    HistoryKind = "purchase"
	HistoryReturn      HistoryKind = "return"
	HistoryInteraction HistoryKind = "interaction"
)

// HistoryEntry is one event in a customer's history; exactly one of
// Purchase, Return and Interaction is set, as Kind says.
type HistoryEntry struct {
	Kind        HistoryKind
	Time        time.Time
	Purchase    *Purchase
	Return      *Return
	Interaction *Interaction
}

// History yields a customer's purchases, returns and interactions newest
// first (ties by kind, then ID, descending), streaming from the store.
// Merged customers' records have moved to the survivor, so a merged ID
// yields the survivor's history.
func (s *Service) History(ctx context.Context, id string) iter.Seq2[HistoryEntry, error] {
	return func(yield func(HistoryEntry, error) bool) {
		c, err := s.Get(ctx, id)
		if err != nil {
			yield(HistoryEntry{}, err)
			return
		}
		purchases := mapSeq(s.store.PurchasesOf(ctx, c.ID), func(p Purchase) HistoryEntry {
			return HistoryEntry{Kind: HistoryPurchase, Time: p.Time, Purchase: &p}
		})
		returns := mapSeq(s.store.ReturnsOf(ctx, c.ID), func(r Return) HistoryEntry {
			return HistoryEntry{Kind: HistoryReturn, Time: r.Time, Return: &r}
		})
		interactions := mapSeq(s.store.InteractionsOf(ctx, c.ID), func(in Interaction) HistoryEntry {
			return HistoryEntry{Kind: HistoryInteraction, Time: in.Time, Interaction: &in}
		})
		for e, err := range mergeNewestFirst(purchases, returns, interactions) {
			if err != nil {
				err = fmt.Errorf("customer: history of %s: %w", id, err)
			}
			if !yield(e, err) || err != nil {
				return
			}
		}
	}
}

// ID is the ID of the purchase, return or interaction.
func (h HistoryEntry) ID() string {
	switch h.Kind {
	case HistoryPurchase:
		return h.Purchase.ID
	case HistoryReturn:
		return h.Return.ID
	}
	return h.Interaction.ID
}

// newer orders history entries newest first.
func newer(a, b HistoryEntry) bool {
	if c := b.Time.Compare(a.Time); c != 0 {
		return c < 0
	}
	if c := cmp.Compare(b.Kind, a.Kind); c != 0 {
		return c < 0
	}
	return b.ID() < a.ID()
}

func mapSeq[T, U any](seq iter.Seq2[T, error], f func(T) U) iter.Seq2[U, error] {
	return func(yield func(U, error) bool) {
		for v, err := range seq {
			var u U
			if err == nil {
				u = f(v)
			}
			if !yield(u, err) {
				return
			}
		}
	}
}

// mergeNewestFirst merges streams that are each newest first into one.
func mergeNewestFirst(seqs ...iter.Seq2[HistoryEntry, error]) iter.Seq2[HistoryEntry, error] {
	return func(yield func(HistoryEntry, error) bool) {
		type head struct {
			next func() (HistoryEntry, error, bool)
			v    HistoryEntry
			ok   bool
		}
		heads := make([]*head, len(seqs))
		for i, seq := range seqs {
			next, stop := iter.Pull2(seq)
			defer stop()
			heads[i] = &head{next: next}
		}
		advance := func(h *head) bool {
			v, err, ok := h.next()
			if err != nil {
				yield(HistoryEntry{}, err)
				return false
			}
			h.v, h.ok = v, ok
			return true
		}
		for _, h := range heads {
			if !advance(h) {
				return
			}
		}
		for {
			var best *head
			for _, h := range heads {
				if h.ok && (best == nil || newer(h.v, best.v)) {
					best = h
				}
			}
			if best == nil {
				return
			}
			if !yield(best.v, nil) || !advance(best) {
				return
			}
		}
	}
}

// PurchasesBetween yields every purchase with from <= Time < to, oldest
// first, streaming: for analytics (segment and metrics read it).
func (s *Service) PurchasesBetween(ctx context.Context, from, to time.Time) iter.Seq2[Purchase, error] {
	return s.store.PurchasesBetween(ctx, from, to)
}

// ReturnsBetween yields every return with from <= Time < to, oldest first.
func (s *Service) ReturnsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Return, error] {
	return s.store.ReturnsBetween(ctx, from, to)
}
