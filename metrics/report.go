package metrics

import (
	"errors"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
)

// ReportInput is the facts a period report reads. Every stream may be
// ranged over more than once, so it must be re-iterable (a store's
// XxxBetween iterator or a slice's is). Only Purchases is required.
type ReportInput struct {
	// Purchases, oldest first, from the start of history (cohorts and
	// "new customer" need it).
	Purchases iter.Seq2[customer.Purchase, error]
	// Returns, any order; nil for none.
	Returns iter.Seq2[customer.Return, error]
	// Responses are survey responses (feedback.Service.ResponsesBetween);
	// they give NPS, CSAT and CES through ScoresFrom. Nil for none.
	Responses iter.Seq2[feedback.Response, error]
	// Complaints, read after the report period so their handling is known.
	Complaints iter.Seq2[feedback.Complaint, error]
	// Entries is the points ledger of every account from the programme's
	// start; nil when there is no loyalty programme.
	Entries iter.Seq2[ledger.Entry, error]
	// TiersAt gives the members' tier states as they stood at a date; nil
	// leaves tiers out of the report.
	TiersAt func(at time.Time) iter.Seq2[MemberTier, error]
	// StoredValue is every stored-value entry up to the end of Current
	// (storedvalue.AllEntries); nil leaves stored value out.
	StoredValue iter.Seq2[storedvalue.AccountEntry, error]
	// Campaigns are measured against their control groups when their
	// window overlaps Current (CampaignResults).
	Campaigns []ReportCampaign
	// Memberships are the paid membership terms (membership.Store's
	// AllTerms); nil leaves paid membership out.
	Memberships iter.Seq2[membership.Term, error]
}

// ReportOptions are the report's parameters. Current is required.
type ReportOptions struct {
	// Current is the period reported; Previous the one compared against
	// (zero: Current.Previous(), the same length just before).
	Current  Window `json:"current"`
	Previous Window `json:"previous,omitzero"`
	// Location is the shop's time zone for cohorts and the trend; nil is UTC.
	Location *time.Location `json:"-"`
	// CohortGranularity and TrendGranularity default to Month.
	CohortGranularity Granularity `json:"cohortGranularity,omitempty"`
	TrendGranularity  Granularity `json:"trendGranularity,omitempty"`
	// TrendPeriods is how many periods the NPS trend shows, ending with
	// the one that holds the end of Current; 0 means 12.
	TrendPeriods int `json:"trendPeriods,omitempty"`
	// TierOrder is the tier ladder, lowest first (see TierDistributionAt).
	TierOrder []string `json:"tierOrder,omitempty"`
	// Liability values outstanding points; nil leaves liability out.
	Liability *LiabilityOptions `json:"liability,omitempty"`
	// StoredValueCurrency is the currency of the stored-value accounts;
	// required with ReportInput.StoredValue.
	StoredValueCurrency string `json:"storedValueCurrency,omitempty"`
	// Complaints and Satisfaction pass on to ComplaintsIn and Satisfaction.
	Complaints   *ComplaintOptions    `json:"-"`
	Satisfaction *SatisfactionOptions `json:"satisfaction,omitempty"`
}

// resolved fills the defaults and reports every problem at once.
func (o ReportOptions) resolved() (ReportOptions, error) {
	var errs []error
	if err := o.Current.Validate(); err != nil {
		errs = append(errs, err)
	} else if o.Previous == (Window{}) {
		o.Previous = o.Current.Previous()
	}
	if err := o.Previous.Validate(); err != nil && o.Current.Validate() == nil {
		errs = append(errs, err)
	} else if o.Previous.To.After(o.Current.From) {
		errs = append(errs, fieldErr(ErrInvalidArgument, "report options", "Previous", "must end by the current window's start"))
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.CohortGranularity == "" {
		o.CohortGranularity = Month
	}
	if o.TrendGranularity == "" {
		o.TrendGranularity = Month
	}
	for _, g := range []Granularity{o.CohortGranularity, o.TrendGranularity} {
		if err := g.validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if o.TrendPeriods == 0 {
		o.TrendPeriods = 12
	}
	if o.TrendPeriods < 1 || o.TrendPeriods > 366 {
		errs = append(errs, fieldErr(ErrInvalidArgument, "report options", "TrendPeriods", "%d is outside 1..366", o.TrendPeriods))
	}
	if o.Liability != nil {
		if _, err := o.Liability.validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := o.Satisfaction.resolve(); err != nil {
		errs = append(errs, err)
	}
	return o, errors.Join(errs...)
}

// Scope is what a report row covers.
type Scope string

// Report scopes.
const (
	ScopeShop  Scope = "shop"
	ScopeStore Scope = "store"
	ScopeStaff Scope = "staff"
)

// Figures are one scope's KPIs over one window, each carrying its own
// parameters and sample sizes.
//
// Sales, Activity and Retention read the scope's purchases (a store's
// customers are those who bought at the store); Retention is
// period-over-period against the window before: the report's Previous
// window for Current when they are adjacent, the calendar month before a
// window that is a calendar month, otherwise the window of the same length
// just before. Satisfaction and Complaints read the scope's responses and
// complaints. Points is the whole ledger for the shop; for a store or a
// staff member it holds only the entries that name one of the scope's
// purchases in the window (earn, release, clawback, expiry of those lots),
// since redemptions name no store. Liability is the shop's, at the
// window's end.
type Figures struct {
	Window       Window              `json:"window"`
	Sales        Sales               `json:"sales"`
	Activity     Activity            `json:"activity"`
	Retention    Retention           `json:"retention"`
	Satisfaction SatisfactionSummary `json:"satisfaction"`
	Complaints   ComplaintKPI        `json:"complaints"`
	Points       PointsFlow          `json:"points"`
	// PointsLinked is set when Points holds only purchase-linked entries.
	PointsLinked bool       `json:"pointsLinked,omitempty"`
	Liability    *Liability `json:"liability,omitempty"`
}

// ReportRow is one scope in the current and the previous window.
type ReportRow struct {
	Scope    Scope   `json:"scope"`
	Key      string  `json:"key"` // store or staff ID; empty for the shop
	Current  Figures `json:"current"`
	Previous Figures `json:"previous"`
}

// Report is a KPI report for a period against the previous one, for the
// shop, each store and each staff member, with the charts' data.
type Report struct {
	Options ReportOptions `json:"options"`
	Shop    ReportRow     `json:"shop"`
	Stores  []ReportRow   `json:"stores"`
	Staff   []ReportRow   `json:"staff"`
	// Cohorts is the cohort retention table as of the end of Current.
	Cohorts CohortTable `json:"cohorts"`
	// Trend is the satisfaction trend of the TrendPeriods periods up to
	// the end of Current.
	Trend SatisfactionTrend `json:"trend"`
	// Tiers is the tier distribution at the end of Current and Migration
	// the moves between the ends of Previous and Current; nil without
	// ReportInput.TiersAt.
	Tiers     *TierDistribution `json:"tiers,omitempty"`
	Migration *TierMigration    `json:"migration,omitempty"`
	// StoredValue is the stored-value section; nil without
	// ReportInput.StoredValue.
	StoredValue *StoredValueSection `json:"storedValue,omitempty"`
	// Campaigns are the results of ReportInput.Campaigns that overlap
	// Current.
	Campaigns []CampaignResult `json:"campaigns,omitempty"`
	// Membership is the paid membership fees over Current; nil without
	// ReportInput.Memberships.
	Membership *MembershipRevenue `json:"membership,omitempty"`
}

// BuildReport computes the report. It reads the purchase stream from the
// start of history twice (cohorts, and once to split the report's range
// by store and staff); everything else is computed on the part of each
// stream inside the range the windows need.
func BuildReport(in ReportInput, opts ReportOptions) (Report, error) {
	o, err := opts.resolved()
	if in.Purchases == nil {
		err = errors.Join(err, fieldErr(ErrInvalidArgument, "report input", "Purchases", "is required"))
	}
	if err != nil {
		return Report{}, err
	}
	out := Report{Options: o}
	s, err := splitFacts(in, o)
	if err != nil {
		return Report{}, err
	}
	if out.Shop, err = s.row(ScopeShop, "", in, o); err != nil {
		return Report{}, err
	}
	for _, k := range s.keys(ScopeStore) {
		r, err := s.row(ScopeStore, k, in, o)
		if err != nil {
			return Report{}, err
		}
		out.Stores = append(out.Stores, r)
	}
	for _, k := range s.keys(ScopeStaff) {
		r, err := s.row(ScopeStaff, k, in, o)
		if err != nil {
			return Report{}, err
		}
		out.Staff = append(out.Staff, r)
	}
	if err := out.charts(in, o); err != nil {
		return Report{}, err
	}
	if err := out.storedValue(in, o); err != nil {
		return Report{}, err
	}
	if err := out.campaigns(in, o); err != nil {
		return Report{}, err
	}
	if in.Memberships != nil {
		m, err := MembershipRevenueIn(in.Memberships, o.Current)
		if err != nil {
			return Report{}, err
		}
		out.Membership = &m
	}
	return out, nil
}

// charts computes the cohort table, the trend and the tier tables.
func (r *Report) charts(in ReportInput, o ReportOptions) error {
	var err error
	if r.Cohorts, err = Cohorts(in.Purchases, in.Returns, o.Current.To, o.CohortGranularity, o.Location); err != nil {
		return err
	}
	last := periodOf(o.Current.To.Add(-time.Nanosecond), o.TrendGranularity, o.Location)
	first := last
	for range o.TrendPeriods - 1 {
		first = first.Previous()
	}
	tw := Window{From: first.Start, To: last.End}
	if r.Trend, err = SatisfactionOver(ScoresFrom(orEmpty(in.Responses)), tw, o.TrendGranularity, o.Location, o.Satisfaction); err != nil {
		return err
	}
	if in.TiersAt == nil {
		return nil
	}
	d, err := TierDistributionAt(in.TiersAt(o.Current.To), o.Current.To, o.TierOrder)
	if err != nil {
		return err
	}
	m, err := TierMigrationBetween(in.TiersAt(o.Previous.To), in.TiersAt(o.Current.To), o.Previous.To, o.Current.To, o.TierOrder)
	if err != nil {
		return err
	}
	r.Tiers, r.Migration = &d, &m
	return nil
}

// orEmpty turns a nil stream into an empty one.
func orEmpty[T any](s iter.Seq2[T, error]) iter.Seq2[T, error] {
	if s != nil {
		return s
	}
	return func(func(T, error) bool) {}
}
