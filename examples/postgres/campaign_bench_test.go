package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/segment"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
)

// BenchmarkCampaignIssue issues a campaign to one new member after 100
// and 50,000 prior members (seeded with SQL as the service would have
// left them): the operation reads and writes one header row and one
// member row whatever the campaign's size.
//
// go test -run '^$' -bench BenchmarkCampaignIssue -benchtime 300x -count 5
func BenchmarkCampaignIssue(b *testing.B) {
	for _, prior := range []int{100, 50_000} {
		b.Run(fmt.Sprintf("prior=%d", prior), func(b *testing.B) {
			db, dsn := freshSchema(b)
			start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
			c := &campaign.Campaign{ID: "bench", Currency: "CNY", Audience: segment.WinBack(customer.ContactSMS),
				Offer:     campaign.Offer{Kind: campaign.OfferPromotion, PromotionID: "member-price"},
				IssueFrom: start, IssueTo: start.AddDate(0, 0, 7), MeasureTo: start.AddDate(0, 1, 0),
				ControlShare: decimal.RequireFromString("0.1")}
			s, err := campaign.NewService(db.Campaigns(), nopIssuer{}, nil)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			// The first member through the service records the header and
			// its definition; the rest are copied in behind it.
			if _, err := s.Issue(ctx, c, segment.NewMembership([]string{"a0000000"}), start); err != nil {
				b.Fatal(err)
			}
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `INSERT INTO campaign_members
				SELECT 'bench', 'a' || lpad(i::text, 7, '0'), 'treated', $1, 'promo', $2, '0001-01-01Z', '', 0
				FROM generate_series(1, $3 - 1) AS i`, start, start.AddDate(0, 1, 0), prior); err != nil {
				b.Fatal(err)
			}
			if _, err := conn.Exec(ctx, `UPDATE campaign_headers SET treated = $1, issued = $1, version = version + $1 - 1`, prior); err != nil {
				b.Fatal(err)
			}
			if _, err := conn.Exec(ctx, `ANALYZE campaign_members`); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := s.Issue(ctx, c, segment.NewMembership([]string{fmt.Sprintf("b%07d", i)}), start); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

type nopIssuer struct{}

func (nopIssuer) Issue(_ context.Context, r campaign.IssueRequest) (string, error) { return r.Key, nil }
