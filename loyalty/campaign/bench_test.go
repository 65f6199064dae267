package campaign_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/segment"
)

// BenchmarkIssueOneMember issues the campaign to one new member of a
// campaign that already holds prior members: the cost must not grow with
// them (one header and one member record read and written).
func BenchmarkIssueOneMember(b *testing.B) {
	for _, prior := range []int{100, 50_000} {
		b.Run(fmt.Sprintf("prior=%d", prior), func(b *testing.B) {
			BenchIssue(b, campaign.NewMemoryStore(), prior)
		})
	}
}

// BenchIssue is the body of the issue benchmark over any store; the
// PostgreSQL adapter's benchmark runs it too.
func BenchIssue(b *testing.B, store campaign.Store, prior int) {
	s, err := campaign.NewService(store, nopIssuer{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	c := testCampaign("bench")
	ctx := context.Background()
	ids := make([]string, prior)
	for i := range ids {
		ids[i] = fmt.Sprintf("a%07d", i)
	}
	if _, err := s.Issue(ctx, c, segment.NewMembership(ids), start); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.Issue(ctx, c, segment.NewMembership([]string{fmt.Sprintf("b%07d", i)}), start); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

type nopIssuer struct{}

func (nopIssuer) Issue(_ context.Context, r campaign.IssueRequest) (string, error) { return r.Key, nil }
