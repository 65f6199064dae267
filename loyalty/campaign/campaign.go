package campaign

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"time"

	"github.com/clientele-go/clientele/internal/daterange"
	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/clientele-go/clientele/segment"
	"github.com/shopspring/decimal"
)

// ErrInvalid is matched by every validation failure (*FieldError).
var ErrInvalid = errors.New("campaign: invalid input")

// FieldError is one problem with a field, named by its path.
type FieldError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string { return fmt.Sprintf("campaign: %s: %s", e.Field, e.Problem) }

// Is makes every FieldError match ErrInvalid.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

type problems []error

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, &FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// OfferKind says what a treated member receives.
type OfferKind string

// Offer kinds.
const (
	// OfferCoupon issues a coupon of the loyalty catalogue (RewardID).
	OfferCoupon OfferKind = "coupon"
	// OfferPoints credits bonus points.
	OfferPoints OfferKind = "points"
	// OfferPromotion makes the member eligible for a promotion the host's
	// pricing applies (PromotionID); Service.Eligible answers it at the till.
	OfferPromotion OfferKind = "promotion"
)

// Offer is what the campaign gives each treated member, and what that
// costs.
type Offer struct {
	Kind        OfferKind `json:"kind"`
	RewardID    string    `json:"rewardId,omitempty"`
	Points      int64     `json:"points,omitempty"`
	PromotionID string    `json:"promotionId,omitempty"`
	// ValidDays bounds a coupon's or a promotion's validity: it ends at
	// the start of the local day ValidDays after the issue (0: the
	// campaign's MeasureTo).
	ValidDays int `json:"validDays,omitempty"`
	// ContactCost is what reaching one treated member costs (a text
	// message), in the campaign's currency.
	ContactCost decimal.Decimal `json:"contactCost,omitzero"`
	// FaceValue is the most one member's offer may cost when redeemed (a
	// coupon's value, the points' worth). The budget reserves ContactCost
	// + FaceValue for each treated member.
	FaceValue decimal.Decimal `json:"faceValue,omitzero"`
}

// Budget limits a campaign. Zero fields mean no limit.
type Budget struct {
	// MaxTreated is the most members the offer goes to.
	MaxTreated int64 `json:"maxTreated,omitempty"`
	// MaxCost is the most the campaign may commit: ContactCost +
	// FaceValue per treated member.
	MaxCost decimal.Decimal `json:"maxCost,omitzero"`
}

// Campaign is one campaign as data (a Go literal or strict JSON).
type Campaign struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Currency string `json:"currency"`
	// Audience selects the members: a segment rule (RFM cell, lifecycle
	// stage, behaviour...) and the purpose and channel they must have
	// consented to. The host evaluates it (segment.Audience.Select) and
	// hands the Membership to Service.Issue.
	Audience segment.Audience `json:"audience"`
	Offer    Offer            `json:"offer"`
	// IssueFrom and IssueTo bound when offers go out, [from, to).
	IssueFrom time.Time `json:"issueFrom"`
	IssueTo   time.Time `json:"issueTo"`
	// MeasureTo ends the window the results measure, which starts at
	// IssueFrom.
	MeasureTo time.Time `json:"measureTo"`
	// ControlShare is the share of the audience held out, never
	// contacted, to measure against: 0 to 0.5 with at most 4 decimals.
	// Zero runs without a control group, whose effect cannot be measured.
	ControlShare decimal.Decimal `json:"controlShare"`
	Budget       Budget          `json:"budget,omitzero"`
	// Location is the zone of ValidDays' local days; nil is UTC.
	Location *time.Location `json:"-"`
}

// Validate reports every problem at once (errors.Join of *FieldError).
func (c *Campaign) Validate() error {
	var p problems
	if !textcheck.ID(c.ID) {
		p.add("id", "must be 1 to %d bytes without control characters", textcheck.MaxID)
	}
	if !textcheck.Label(c.Name, 200) {
		p.add("name", "at most 200 bytes on one line")
	}
	minor, err := money.MinorUnits(c.Currency)
	if err != nil {
		p.add("currency", "must be an ISO 4217 code")
	}
	if err := c.Audience.Validate(); err != nil {
		p.add("audience", "%s", err.Error())
	}
	c.Offer.validate(&p, minor)
	for _, f := range []struct {
		name string
		t    time.Time
	}{{"issueFrom", c.IssueFrom}, {"issueTo", c.IssueTo}, {"measureTo", c.MeasureTo}} {
		if f.t.IsZero() || !daterange.Contains(f.t) {
			p.add(f.name, "required, within the years %d to %d", daterange.MinYear, daterange.MaxYear)
		}
	}
	if !c.IssueTo.After(c.IssueFrom) {
		p.add("issueTo", "must be after issueFrom")
	}
	if c.MeasureTo.Before(c.IssueTo) {
		p.add("measureTo", "must not be before issueTo")
	}
	if c.ControlShare.IsNegative() || c.ControlShare.GreaterThan(decimal.New(5, -1)) || !c.ControlShare.Equal(c.ControlShare.Round(4)) {
		p.add("controlShare", "must be 0 to 0.5 with at most 4 decimals")
	}
	if c.Budget.MaxTreated < 0 {
		p.add("budget.maxTreated", "must not be negative")
	}
	if _, ok := minorOf(c.Budget.MaxCost, minor); !ok {
		p.add("budget.maxCost", "must be a non-negative amount in the currency's minor unit")
	}
	return errors.Join(p...)
}

func (o *Offer) validate(p *problems, minor int32) {
	switch o.Kind {
	case OfferCoupon:
		if !textcheck.ID(o.RewardID) {
			p.add("offer.rewardId", "required for a coupon")
		}
	case OfferPoints:
		if o.Points <= 0 || o.Points > 1_000_000_000 {
			p.add("offer.points", "must be 1 to 1000000000 for points")
		}
	case OfferPromotion:
		if !textcheck.ID(o.PromotionID) {
			p.add("offer.promotionId", "required for a promotion")
		}
	default:
		p.add("offer.kind", "must be coupon, points or promotion")
	}
	if o.Kind != OfferCoupon && o.RewardID != "" || o.Kind != OfferPoints && o.Points != 0 || o.Kind != OfferPromotion && o.PromotionID != "" {
		p.add("offer", "names only what its kind gives")
	}
	if o.ValidDays < 0 || o.ValidDays > 366 {
		p.add("offer.validDays", "must be 0 to 366")
	}
	if _, ok := minorOf(o.ContactCost, minor); !ok {
		p.add("offer.contactCost", "must be a non-negative amount in the currency's minor unit")
	}
	if _, ok := minorOf(o.FaceValue, minor); !ok {
		p.add("offer.faceValue", "must be a non-negative amount in the currency's minor unit")
	}
}

// maxMinor bounds money amounts so that sums over a campaign stay exact.
const maxMinor = 1 << 50

// minorOf returns d in minor units when it is a non-negative exact amount.
func minorOf(d decimal.Decimal, minor int32) (int64, bool) {
	if d.IsNegative() || !money.IsMinorUnitExact(d, minor) {
		return 0, false
	}
	v := d.Shift(minor)
	if v.GreaterThan(decimal.NewFromInt(maxMinor)) {
		return 0, false
	}
	return v.IntPart(), true
}

// reservePerMember is ContactCost + FaceValue in minor units.
func (c *Campaign) reservePerMember() int64 {
	minor, _ := money.MinorUnits(c.Currency)
	a, _ := minorOf(c.Offer.ContactCost, minor)
	b, _ := minorOf(c.Offer.FaceValue, minor)
	return a + b
}

// definitionHash fingerprints what decides a run: a campaign changed
// after its first run (another control share, offer or budget) would mix
// two experiments, so the service refuses it.
func (c *Campaign) definitionHash() (string, error) {
	d := struct {
		ID, Currency                  string
		Offer                         Offer
		IssueFrom, IssueTo, MeasureTo time.Time
		ControlShare                  string
		Budget                        Budget
	}{c.ID, c.Currency, c.Offer, c.IssueFrom.UTC(), c.IssueTo.UTC(), c.MeasureTo.UTC(), c.ControlShare.String(), c.Budget}
	return idem.Hash(d)
}

// InControl reports whether a member is in the campaign's control group:
// the first 8 bytes of SHA-256(campaign ID, 0, member ID) as a fraction
// of 2^64 fall below share. It depends on nothing else, so anyone can
// draw the same group again; over many members the held-out share
// converges on share (a test checks the spread).
func InControl(campaignID, memberID string, share decimal.Decimal) bool {
	if !share.IsPositive() {
		return false
	}
	h := sha256.New()
	h.Write([]byte(campaignID))
	h.Write([]byte{0})
	h.Write([]byte(memberID))
	x := binary.BigEndian.Uint64(h.Sum(nil))
	// share with 4 decimals as basis points of 10^4: x/2^64 < bp/10^4
	// ⇔ x·10^4 < bp·2^64, compared in 128 bits.
	bp := uint64(share.Shift(4).IntPart())
	hi, _ := bits.Mul64(x, 10000)
	return hi < bp
}
