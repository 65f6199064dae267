package segment

import (
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// Audience is the customers of a segment who may be contacted for a
// purpose on a channel. Consent is checked with customer.Customer's
// CanContact at the analysis date: an erased or merged customer is never
// in an audience, nor is one who has not consented (or has withdrawn).
type Audience struct {
	Name    string                  `json:"name"`
	Rule    Rule                    `json:"rule"`
	Purpose customer.Purpose        `json:"purpose"`
	Channel customer.ContactChannel `json:"channel"`
}

// BirthdayThisMonth is the audience of customers whose birthday falls in
// the analysis month (in EvalOptions.Location), for marketing on channel.
// A 29 February birthday counts in February of a common year too, where
// it is observed on the 28th.
func BirthdayThisMonth(channel customer.ContactChannel) Audience {
	return Audience{Name: "birthday-this-month", Purpose: customer.PurposeMarketing, Channel: channel,
		Rule: Rule{Version: RuleVersion, Name: "birthday-this-month", Root: BirthdayMonth{}}}
}

// WinBack is the audience of customers at risk (lifecycle stage under
// EvalOptions.Lifecycle), for marketing on channel.
func WinBack(channel customer.ContactChannel) Audience {
	return Audience{Name: "win-back", Purpose: customer.PurposeMarketing, Channel: channel,
		Rule: Rule{Version: RuleVersion, Name: "win-back", Root: Lifecycle{In: []Stage{StageAtRisk}}}}
}

// PointsExpiringSoon is the audience of customers with at least minPoints
// points expiring within 30 days, for service messages on channel (a
// reminder of what the customer holds; hosts that treat it as marketing
// can change Purpose).
func PointsExpiringSoon(channel customer.ContactChannel, minPoints int64) Audience {
	return Audience{Name: "points-expiring", Purpose: customer.PurposeService, Channel: channel,
		Rule: Rule{Version: RuleVersion, Name: "points-expiring", Root: PointsExpiring{Min: minPoints, Days: 30}}}
}

// Validate reports every problem of the audience at once.
func (a Audience) Validate() error {
	var p problems
	if a.Purpose == "" {
		p.add("audience.purpose", "missing")
	}
	if a.Channel == "" {
		p.add("audience.channel", "missing")
	}
	if err := a.Rule.Validate(); err != nil {
		p = append(p, err)
	}
	return p.err()
}

// AudienceStats counts why customers were or were not selected.
type AudienceStats struct {
	Matched   int // matched the rule
	NoConsent int // matched but may not be contacted (incl. erased, merged)
	Selected  int // in the audience
}

// Select evaluates the audience at asOf over a stream of facts and
// returns the members who may be contacted.
func (a Audience) Select(seq iter.Seq2[*Facts, error], asOf time.Time, opts *EvalOptions) (Membership, AudienceStats, error) {
	var st AudienceStats
	if err := a.Validate(); err != nil {
		return Membership{}, st, err
	}
	m, err := a.Rule.Compile(asOf, opts)
	if err != nil {
		return Membership{}, st, err
	}
	var ids []string
	for f, err := range m.Filter(seq) {
		if err != nil {
			return Membership{}, st, fmt.Errorf("segment: audience %q: %w", a.Name, err)
		}
		st.Matched++
		if !f.Contactable(a.Purpose, a.Channel, asOf) {
			st.NoConsent++
			continue
		}
		ids = append(ids, f.CustomerID)
	}
	st.Selected = len(ids)
	return NewMembership(ids), st, nil
}
