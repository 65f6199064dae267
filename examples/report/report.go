package main

import (
	"context"
	"io"
	"iter"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/metrics"
	"github.com/shopspring/decimal"
	"golang.org/x/text/language"
)

// report builds the KPI report of December 2025 against November from the
// services' streams.
func (s *sim) report(ctx context.Context) (metrics.Report, error) {
	far := historyEnd.AddDate(1, 0, 0)
	in := metrics.ReportInput{
		Purchases:  s.purchases(),
		Returns:    s.shop.Returns(),
		Responses:  s.feedback.ResponsesBetween(ctx, historyStart, far),
		Complaints: s.feedback.ComplaintsBetween(ctx, historyStart, far),
		Entries:    s.entries(ctx),
		TiersAt:    s.tiersAt,
	}
	return metrics.BuildReport(in, metrics.ReportOptions{
		Current:   metrics.Window{From: reportFrom, To: historyEnd},
		Previous:  metrics.Window{From: previousFrom, To: reportFrom},
		Location:  shanghai,
		TierOrder: []string{"regular", "silver", "gold"},
		Liability: &metrics.LiabilityOptions{Currency: "CNY", ValuePerPoint: decimal.New(1, -2)}, // 100 points take 1 CNY off
		// Complaints are timed in business hours on the shop's SLA calendar.
		Complaints: &metrics.ComplaintOptions{Policies: map[string]feedback.SLAPolicy{s.policy.Name: s.policy}},
	})
}

// entries streams the ledger of every account, account by account.
func (s *sim) entries(ctx context.Context) iter.Seq2[ledger.Entry, error] {
	return func(yield func(ledger.Entry, error) bool) {
		for a, err := range s.lstore.Accounts(ctx, "") {
			if err != nil {
				yield(ledger.Entry{}, err)
				return
			}
			for e, err := range s.lstore.Entries(ctx, a.MemberID, 0) {
				if !yield(e, err) || err != nil {
					return
				}
			}
		}
	}
}

// tiersAt gives the tier states of the snapshot taken at t.
func (s *sim) tiersAt(t time.Time) iter.Seq2[metrics.MemberTier, error] {
	return func(yield func(metrics.MemberTier, error) bool) {
		for _, m := range s.tiers[t] {
			if !yield(metrics.MemberTier{MemberID: m.id, State: m.state}, nil) {
				return
			}
		}
	}
}

func writeText(w io.Writer, r metrics.Report, lang language.Tag) error {
	return metrics.WriteText(w, r, &metrics.RenderOptions{Language: lang})
}

func writeHTML(w io.Writer, r metrics.Report, lang language.Tag) error {
	return metrics.WriteHTML(w, r, &metrics.RenderOptions{Language: lang})
}
