package referral

import (
	"context"
	"iter"
	"strings"
	"sync"

	"github.com/clientele-go/clientele/internal/pmap"
)

// MemoryStore is the in-memory Store, safe for concurrent use.
type MemoryStore struct {
	mu        sync.Mutex
	referrers map[string]Referrer
	codes     map[string]string
	friends   map[string]Friend
	// byReferrer holds each referrer's friend IDs in a persistent ordered
	// map, so Friends reads a snapshot without the lock.
	byReferrer map[string]pmap.Map[string, struct{}]
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{referrers: map[string]Referrer{}, codes: map[string]string{}, friends: map[string]Friend{},
		byReferrer: map[string]pmap.Map[string, struct{}]{}}
}

// GetReferrer implements Store.
func (s *MemoryStore) GetReferrer(ctx context.Context, memberID string) (Referrer, error) {
	if err := ctx.Err(); err != nil {
		return Referrer{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.referrers[memberID]
	if !ok {
		return Referrer{}, ErrNotFound
	}
	return r.Clone(), nil
}

// LookupCode implements Store.
func (s *MemoryStore) LookupCode(ctx context.Context, code string) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.codes[code]
	if !ok {
		return "", ErrNotFound
	}
	return m, nil
}

// GetFriend implements Store.
func (s *MemoryStore) GetFriend(ctx context.Context, friendID string) (Friend, error) {
	if err := ctx.Err(); err != nil {
		return Friend{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.friends[friendID]
	if !ok {
		return Friend{}, ErrNotFound
	}
	return f.Clone(), nil
}

// Save implements Store.
func (s *MemoryStore) Save(ctx context.Context, w Write) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.referrers[w.Referrer.MemberID]
	if w.Referrer.Version != cur.Version+1 || (!ok && w.Referrer.Version != 1) {
		return ErrConflict
	}
	if !ok {
		if owner, taken := s.codes[w.Referrer.Code]; taken && owner != w.Referrer.MemberID {
			return ErrAlreadyExists
		}
	}
	if w.Friend != nil {
		_, exists := s.friends[w.Friend.FriendID]
		switch {
		case exists && !w.Replace:
			return ErrAlreadyExists
		case !exists && w.Replace:
			return ErrNotFound
		}
	}
	s.referrers[w.Referrer.MemberID] = w.Referrer.Clone()
	if !ok {
		s.codes[w.Referrer.Code] = w.Referrer.MemberID
	}
	if f := w.Friend; f != nil {
		s.friends[f.FriendID] = f.Clone()
		m, ok := s.byReferrer[f.ReferrerID]
		if !ok {
			m = pmap.New[string, struct{}](strings.Compare)
		}
		s.byReferrer[f.ReferrerID] = m.Set(f.FriendID, struct{}{})
	}
	return nil
}

// Friends implements Store.
func (s *MemoryStore) Friends(ctx context.Context, referrerID string) iter.Seq2[Friend, error] {
	return func(yield func(Friend, error) bool) {
		s.mu.Lock()
		ids, ok := s.byReferrer[referrerID]
		s.mu.Unlock()
		if err := ctx.Err(); err != nil {
			yield(Friend{}, err)
			return
		}
		if !ok {
			return
		}
		for id := range ids.All() {
			if err := ctx.Err(); err != nil {
				yield(Friend{}, err)
				return
			}
			f, err := s.GetFriend(ctx, id)
			if err != nil {
				yield(Friend{}, err)
				return
			}
			if !yield(f, nil) {
				return
			}
		}
	}
}
