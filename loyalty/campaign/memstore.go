package campaign

import (
	"context"
	"iter"
	"strings"
	"sync"

	"github.com/clientele-go/clientele/internal/pmap"
)

// MemoryStore is the in-memory Store, safe for concurrent use. Member
// records live in a persistent ordered map per campaign, so Members reads
// a snapshot and never holds the lock while it yields.
type MemoryStore struct {
	mu        sync.Mutex
	campaigns map[string]*memCampaign
}

type memCampaign struct {
	header  Header
	members pmap.Map[string, Member]
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{campaigns: map[string]*memCampaign{}} }

// GetHeader implements Store.
func (s *MemoryStore) GetHeader(ctx context.Context, campaignID string) (Header, error) {
	if err := ctx.Err(); err != nil {
		return Header{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.campaigns[campaignID]
	if !ok {
		return Header{}, ErrNotFound
	}
	return c.header, nil
}

// GetMember implements Store.
func (s *MemoryStore) GetMember(ctx context.Context, campaignID, memberID string) (Member, error) {
	if err := ctx.Err(); err != nil {
		return Member{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.campaigns[campaignID]; ok {
		if m, ok := c.members.Get(memberID); ok {
			return m, nil
		}
	}
	return Member{}, ErrNotFound
}

// Save implements Store.
func (s *MemoryStore) Save(ctx context.Context, w Write) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.campaigns[w.Header.CampaignID]
	var version int64
	if ok {
		version = c.header.Version
	}
	if w.Header.Version != version+1 {
		return ErrConflict
	}
	if !ok {
		c = &memCampaign{members: pmap.New[string, Member](strings.Compare)}
	}
	_, exists := c.members.Get(w.Member.MemberID)
	switch {
	case exists && !w.Replace:
		return ErrAlreadyExists
	case !exists && w.Replace:
		return ErrNotFound
	}
	c.header = w.Header
	c.members = c.members.Set(w.Member.MemberID, w.Member)
	s.campaigns[w.Header.CampaignID] = c
	return nil
}

// Members implements Store.
func (s *MemoryStore) Members(ctx context.Context, campaignID string) iter.Seq2[Member, error] {
	return func(yield func(Member, error) bool) {
		s.mu.Lock()
		c, ok := s.campaigns[campaignID]
		var snap pmap.Map[string, Member]
		if ok {
			snap = c.members
		}
		s.mu.Unlock()
		if err := ctx.Err(); err != nil {
			yield(Member{}, err)
			return
		}
		if !ok {
			return
		}
		for _, m := range snap.All() {
			if err := ctx.Err(); err != nil {
				yield(Member{}, err)
				return
			}
			if !yield(m, nil) {
				return
			}
		}
	}
}
