package campaign_test

import (
	"context"
	"fmt"
	"iter"
	"sync/atomic"
	"testing"

	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingStore counts what the service asks of a store.
type countingStore struct {
	campaign.Store
	headers, members, saves, scans atomic.Int64
}

func (s *countingStore) GetHeader(ctx context.Context, id string) (campaign.Header, error) {
	s.headers.Add(1)
	return s.Store.GetHeader(ctx, id)
}

func (s *countingStore) GetMember(ctx context.Context, c, m string) (campaign.Member, error) {
	s.members.Add(1)
	return s.Store.GetMember(ctx, c, m)
}

func (s *countingStore) Save(ctx context.Context, w campaign.Write) error {
	s.saves.Add(1)
	return s.Store.Save(ctx, w)
}

func (s *countingStore) Members(ctx context.Context, id string) iter.Seq2[campaign.Member, error] {
	s.scans.Add(1)
	return s.Store.Members(ctx, id)
}

// Issuing to one more member, and recording a redemption, ask the same of
// the store after 10 prior members as after 5,000: a header and a member
// record, never a scan of the campaign.
func TestIssueCostIsFlat(t *testing.T) {
	counts := func(prior int) [4]int64 {
		cs := &countingStore{Store: campaign.NewMemoryStore()}
		s, err := campaign.NewService(cs, &fakeIssuer{}, nil)
		require.NoError(t, err)
		c := testCampaign("flat")
		_, err = s.Issue(t.Context(), c, members(prior), start)
		require.NoError(t, err)
		cs.headers.Store(0)
		cs.members.Store(0)
		cs.saves.Store(0)
		_, err = s.Issue(t.Context(), c, segment.NewMembership([]string{"zz-new"}), start)
		require.NoError(t, err)
		require.False(t, campaign.InControl("flat", "zz-new", c.ControlShare), "the new member is treated")
		return [4]int64{cs.headers.Load(), cs.members.Load(), cs.saves.Load(), cs.scans.Load()}
	}
	small, large := counts(10), counts(5000)
	assert.Equal(t, small, large)
	assert.Equal(t, int64(0), large[3], "no scan")
	assert.LessOrEqual(t, large[0]+large[1]+large[2], int64(6), fmt.Sprint(large))
}
