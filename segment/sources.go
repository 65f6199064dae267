package segment

import (
	"iter"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty"
)

// LoyaltyOf returns what segmentation reads of a loyalty account at asOf:
// the tier held then, the available points and the points that will
// expire, by date. A merged account yields no facts (its points moved to
// the survivor).
func LoyaltyOf(acct loyalty.Account, asOf time.Time) LoyaltyFacts {
	if acct.MergedInto != "" {
		return LoyaltyFacts{}
	}
	f := LoyaltyFacts{
		Member:      true,
		Tier:        acct.Tier.Effective(asOf),
		MemberSince: acct.Tier.MemberSince,
		Points:      acct.Points.Available(asOf),
	}
	for _, b := range acct.Points.ExpiringBy(asOf, maxExpiryHorizon(asOf)) {
		if b.Points > 0 {
			f.Expiring = append(f.Expiring, ExpiringPoints{At: b.Date, Points: b.Points})
		}
	}
	return f
}

// maxExpiryHorizon is how far ahead loyalty facts list expiring points:
// far enough for any "expiring within N days" rule a shop writes.
func maxExpiryHorizon(asOf time.Time) time.Time { return asOf.AddDate(5, 0, 0) }

// LoyaltySource reads every loyalty account once (loyalty.Store.Accounts
// yields them) and returns the hook FactsOptions.Loyalty takes, so facts
// are built from the customer and loyalty stores in one streaming pass
// each. Memory is one LoyaltyFacts per member.
func LoyaltySource(accounts iter.Seq2[loyalty.Account, error], asOf time.Time) (func(customerID string) LoyaltyFacts, error) {
	facts := map[string]LoyaltyFacts{}
	for acct, err := range accounts {
		if err != nil {
			return nil, err
		}
		if f := LoyaltyOf(acct, asOf); f.Member {
			facts[acct.MemberID] = f
		}
	}
	return func(id string) LoyaltyFacts { return facts[id] }, nil
}

// FeedbackSource reads survey responses (feedback.Service.ResponsesBetween
// yields them, oldest first) and returns the hook FactsOptions.Feedback
// takes: each customer's latest NPS answer at or before asOf.
func FeedbackSource(responses iter.Seq2[feedback.Response, error], asOf time.Time) (func(customerID string) FeedbackFacts, error) {
	facts := map[string]FeedbackFacts{}
	for r, err := range responses {
		if err != nil {
			return nil, err
		}
		score, ok := r.Score(feedback.KindNPS)
		if !ok || r.CustomerID == "" || r.Time.After(asOf) {
			continue
		}
		if prev, seen := facts[r.CustomerID]; !seen || !r.Time.Before(prev.LastNPSAt) {
			facts[r.CustomerID] = FeedbackFacts{HasNPS: true, LastNPS: score, LastNPSAt: r.Time}
		}
	}
	return func(id string) FeedbackFacts { return facts[id] }, nil
}
