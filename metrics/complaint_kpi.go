package metrics

import (
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/clientele-go/clientele/feedback"
	"github.com/shopspring/decimal"
)

// Time bases of complaint handling times.
const (
	// BasisBusiness: business time on the complaint's SLA policy calendar,
	// not counting waits on the customer (resolution), as the SLA clock
	// counts it (feedback.SLAPolicy.FirstResponseTime and ResolutionTime).
	BasisBusiness = "business"
	// BasisWall: elapsed wall-clock time from intake, including nights,
	// holidays and waits on the customer: what the customer lived through.
	BasisWall = "wall"
	// BasisMixed: some complaints were measured in business time and some
	// in wall time (their policy was not given); see BusinessN.
	BasisMixed = "mixed"
)

// QuantileMethod names how medians and 90th percentiles are taken: Hyndman
// & Fan (1996) definition 7, linear interpolation between the order
// statistics at (n−1)p (R's and NumPy's default), so the median of an even
// count is the mean of the middle two.
const QuantileMethod = "hyndman-fan-7"

// ComplaintOptions set how complaints are measured.
type ComplaintOptions struct {
	// Policies are the SLA policies by name (feedback.Complaint.Policy).
	// A complaint whose policy is here is timed in business time on its
	// calendar; one whose policy is missing, in wall time.
	Policies map[string]feedback.SLAPolicy
}

// DurationStats summarises handling times.
type DurationStats struct {
	N         int           `json:"n"`
	Median    time.Duration `json:"median"`
	P90       time.Duration `json:"p90"`
	Basis     string        `json:"basis"`     // BasisBusiness, BasisWall or BasisMixed; empty when N is 0
	BusinessN int           `json:"businessN"` // measured in business time
	Method    string        `json:"method"`    // QuantileMethod
}

// CategoryCount is the complaints of one category.
type CategoryCount struct {
	Category feedback.Category `json:"category"`
	Count    int               `json:"count"`
	Share    float64           `json:"share"`
}

// RemedyCost is what one kind of remedy cost.
type RemedyCost struct {
	Kind   feedback.RemedyKind `json:"kind"`
	Count  int                 `json:"count"`
	Cost   decimal.Decimal     `json:"cost"`   // exact sum, in ComplaintKPI.Currency
	Points int64               `json:"points"` // goodwill points granted
}

// ComplaintKPI measures the complaints received in a window, in the state
// they are in when read (read them after the window, as late as the
// report date, so their handling is known):
//
//   - ByCategory: volume by category, largest first (then by name).
//   - FirstResponse: intake to first response (FirstResponseAt), for
//     complaints that had one; Resolution: intake to the latest
//     resolution (ResolvedAt), for those resolved. Median and p90 by
//     QuantileMethod, in business or wall time (see ComplaintOptions).
//   - SLA: complaints decided against their SLA (resolved, or with a
//     deadline breached) that breached neither the first-response nor
//     the resolution deadline, out of those decided; open complaints
//     still within their deadlines are not yet decided and not counted.
//   - Reopen: complaints reopened at least once, out of those resolved
//     at least once (resolved now, or reopened).
//   - Remedies: count, exact cost and goodwill points by remedy kind;
//     costs in one currency (ErrMixedCurrency otherwise).
//   - Handling: the customers' 1–5 rating of the handling
//     (Complaint.Satisfaction, 0 for none), as a CSAT with 4 and 5
//     satisfied, with its Wilson interval.
type ComplaintKPI struct {
	Window        Window          `json:"window"`
	Complaints    int             `json:"complaints"`
	Open          int             `json:"open"`
	ByCategory    []CategoryCount `json:"byCategory"`
	FirstResponse DurationStats   `json:"firstResponse"`
	Resolution    DurationStats   `json:"resolution"`
	SLA           Rate            `json:"sla"`
	Reopen        Rate            `json:"reopen"`
	Currency      string          `json:"currency"` // of the remedy costs; empty when none cost money
	Remedies      []RemedyCost    `json:"remedies"` // by kind, in name order
	RemedyTotal   decimal.Decimal `json:"remedyTotal"`
	Handling      CSATResult      `json:"handling"`
}

// ComplaintsIn computes ComplaintKPI over the complaints with ReceivedAt
// in w; opts may be nil (every complaint timed in wall time).
func ComplaintsIn(complaints iter.Seq2[feedback.Complaint, error], w Window, opts *ComplaintOptions) (ComplaintKPI, error) {
	if err := w.Validate(); err != nil {
		return ComplaintKPI{}, err
	}
	var o ComplaintOptions
	if opts != nil {
		o = *opts
	}
	out := ComplaintKPI{Window: w, RemedyTotal: decimal.Zero}
	var acc complaintAcc
	acc.categories = map[feedback.Category]int{}
	acc.remedies = map[feedback.RemedyKind]*RemedyCost{}
	for c, err := range complaints {
		if err != nil {
			return ComplaintKPI{}, readErr("complaints", err)
		}
		if !w.Contains(c.ReceivedAt) {
			continue
		}
		if err := acc.add(&c, o); err != nil {
			return ComplaintKPI{}, err
		}
	}
	acc.finish(&out)
	return out, nil
}

// complaintAcc gathers the figures of ComplaintsIn.
type complaintAcc struct {
	n, open                int
	categories             map[feedback.Category]int
	first, resolve         []time.Duration
	firstBiz, resolveBiz   int
	decided, met           int
	everResolved, reopened int
	guard                  currencyGuard
	remedies               map[feedback.RemedyKind]*RemedyCost
	total                  decimal.Decimal
	satisfaction           tally
}

func (a *complaintAcc) add(c *feedback.Complaint, o ComplaintOptions) error {
	if err := checkComplaint(c); err != nil {
		return err
	}
	a.n++
	if c.Status.Open() {
		a.open++
	}
	a.categories[c.Category]++
	policy, business := o.Policies[c.Policy]
	if d, ok := firstResponse(c, policy, business); ok {
		a.first = append(a.first, d)
		a.firstBiz += b2i(business)
	}
	if d, ok := resolution(c, policy, business); ok {
		a.resolve = append(a.resolve, d)
		a.resolveBiz += b2i(business)
	}
	breached := c.FirstResponseBreached || c.ResolutionBreached
	if breached || !c.ResolvedAt.IsZero() {
		a.decided++
		if !breached {
			a.met++
		}
	}
	if !c.ResolvedAt.IsZero() || c.Reopened > 0 {
		a.everResolved++
		if c.Reopened > 0 {
			a.reopened++
		}
	}
	if c.Satisfaction != 0 {
		a.satisfaction.csat[c.Satisfaction]++
	}
	return a.addRemedies(c)
}

func (a *complaintAcc) addRemedies(c *feedback.Complaint) error {
	for _, r := range c.Remedies {
		if !r.Cost.IsZero() {
			if err := a.guard.check("complaint", c.ID, r.Currency); err != nil {
				return err
			}
			a.total = a.total.Add(r.Cost)
		}
		rc := a.remedies[r.Kind]
		if rc == nil {
			rc = &RemedyCost{Kind: r.Kind, Cost: decimal.Zero}
			a.remedies[r.Kind] = rc
		}
		rc.Count++
		rc.Cost = rc.Cost.Add(r.Cost)
		rc.Points += r.Points
	}
	return nil
}

func (a *complaintAcc) finish(out *ComplaintKPI) {
	out.Complaints, out.Open = a.n, a.open
	for cat, n := range a.categories {
		out.ByCategory = append(out.ByCategory, CategoryCount{Category: cat, Count: n, Share: float64(n) / float64(a.n)})
	}
	slices.SortFunc(out.ByCategory, func(x, y CategoryCount) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		return compareStrings(string(x.Category), string(y.Category))
	})
	out.FirstResponse = durationStats(a.first, a.firstBiz)
	out.Resolution = durationStats(a.resolve, a.resolveBiz)
	out.SLA = newRate(a.met, a.decided)
	out.Reopen = newRate(a.reopened, a.everResolved)
	out.Currency = a.guard.code
	for _, rc := range a.remedies {
		out.Remedies = append(out.Remedies, *rc)
	}
	slices.SortFunc(out.Remedies, func(x, y RemedyCost) int { return compareStrings(string(x.Kind), string(y.Kind)) })
	out.RemedyTotal = a.total
	out.Handling = a.satisfaction.csatResult(SatisfactionOptions{CSATScale: 5, CSATTopBox: 4})
}

// checkComplaint reports the problems that would make a figure wrong.
func checkComplaint(c *feedback.Complaint) error {
	rec := "complaint " + c.ID
	var errs []error
	if c.Satisfaction < 0 || c.Satisfaction > 5 {
		errs = append(errs, fieldErr(ErrInvalidScore, rec, "Satisfaction", "%d is outside 0..5", c.Satisfaction))
	}
	if !c.FirstResponseAt.IsZero() && c.FirstResponseAt.Before(c.ReceivedAt) {
		errs = append(errs, fieldErr(ErrInvalidArgument, rec, "FirstResponseAt", "before ReceivedAt"))
	}
	if !c.ResolvedAt.IsZero() && c.ResolvedAt.Before(c.ReceivedAt) {
		errs = append(errs, fieldErr(ErrInvalidArgument, rec, "ResolvedAt", "before ReceivedAt"))
	}
	for i, r := range c.Remedies {
		if r.Cost.IsNegative() {
			errs = append(errs, fieldErr(ErrInvalidArgument, rec, "Remedies.Cost", "remedy %d costs less than nothing", i))
		}
	}
	return errors.Join(errs...)
}

func firstResponse(c *feedback.Complaint, p feedback.SLAPolicy, business bool) (time.Duration, bool) {
	if business {
		return p.FirstResponseTime(*c)
	}
	if c.FirstResponseAt.IsZero() {
		return 0, false
	}
	return c.FirstResponseAt.Sub(c.ReceivedAt), true
}

func resolution(c *feedback.Complaint, p feedback.SLAPolicy, business bool) (time.Duration, bool) {
	if business {
		return p.ResolutionTime(*c)
	}
	if c.ResolvedAt.IsZero() {
		return 0, false
	}
	return c.ResolvedAt.Sub(c.ReceivedAt), true
}

func durationStats(ds []time.Duration, business int) DurationStats {
	out := DurationStats{N: len(ds), BusinessN: business, Method: QuantileMethod}
	if len(ds) == 0 {
		return out
	}
	switch business {
	case len(ds):
		out.Basis = BasisBusiness
	case 0:
		out.Basis = BasisWall
	default:
		out.Basis = BasisMixed
	}
	slices.Sort(ds)
	out.Median = quantile(ds, 0.5)
	out.P90 = quantile(ds, 0.9)
	return out
}

// quantile is definition 7 of Hyndman & Fan on sorted values: the value at
// position (n−1)p, interpolated linearly between its neighbours.
func quantile(sorted []time.Duration, p float64) time.Duration {
	h := float64(len(sorted)-1) * p
	lo := int(h)
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	frac := h - float64(lo)
	return sorted[lo] + time.Duration(frac*float64(sorted[lo+1]-sorted[lo])+0.5)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
