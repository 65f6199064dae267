package membership

import (
	"cmp"
	"context"
	"iter"
	"sync"

	"github.com/clientele-go/clientele/internal/pmap"
)

type termKey struct{ member, id string }

func compareTermKey(a, b termKey) int {
	if c := cmp.Compare(a.member, b.member); c != 0 {
		return c
	}
	return cmp.Compare(a.id, b.id)
}

// MemoryStore is the in-memory Store, safe for concurrent use. Terms live
// in one persistent ordered map, so the listings read a snapshot.
type MemoryStore struct {
	mu    sync.Mutex
	cards map[string]Card
	terms pmap.Map[termKey, Term]
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{cards: map[string]Card{}, terms: pmap.New[termKey, Term](compareTermKey)}
}

// GetCard implements Store.
func (s *MemoryStore) GetCard(ctx context.Context, memberID string) (Card, error) {
	if err := ctx.Err(); err != nil {
		return Card{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cards[memberID]
	if !ok {
		return Card{}, ErrNotFound
	}
	return c, nil
}

// GetTerm implements Store.
func (s *MemoryStore) GetTerm(ctx context.Context, memberID, termID string) (Term, error) {
	if err := ctx.Err(); err != nil {
		return Term{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.terms.Get(termKey{memberID, termID})
	if !ok {
		return Term{}, ErrNotFound
	}
	return t, nil
}

// Save implements Store.
func (s *MemoryStore) Save(ctx context.Context, w Write) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.cards[w.Card.MemberID]
	if w.Card.Version != cur.Version+1 {
		return ErrConflict
	}
	k := termKey{w.Card.MemberID, w.Term.ID}
	_, exists := s.terms.Get(k)
	switch {
	case exists && !w.Replace:
		return ErrAlreadyExists
	case !exists && w.Replace:
		return ErrNotFound
	}
	s.cards[w.Card.MemberID] = w.Card
	t := w.Term
	t.MemberID = w.Card.MemberID
	s.terms = s.terms.Set(k, t)
	return nil
}

// Terms implements Store.
func (s *MemoryStore) Terms(ctx context.Context, memberID string) iter.Seq2[Term, error] {
	return s.list(ctx, &termKey{member: memberID})
}

// AllTerms implements Store.
func (s *MemoryStore) AllTerms(ctx context.Context) iter.Seq2[Term, error] { return s.list(ctx, nil) }

func (s *MemoryStore) list(ctx context.Context, only *termKey) iter.Seq2[Term, error] {
	return func(yield func(Term, error) bool) {
		s.mu.Lock()
		snap := s.terms
		s.mu.Unlock()
		if err := ctx.Err(); err != nil {
			yield(Term{}, err)
			return
		}
		seq := snap.All()
		if only != nil {
			seq = snap.From(*only)
		}
		for k, t := range seq {
			if only != nil && k.member != only.member {
				return
			}
			if err := ctx.Err(); err != nil {
				yield(Term{}, err)
				return
			}
			if !yield(t, nil) {
				return
			}
		}
	}
}
