// Package metrics computes the business figures a retailer reads about its
// customers: satisfaction (NPS, CSAT, CES), activity, sales, retention and
// churn, cohort tables, historic customer lifetime value, loyalty
// programme and complaint KPIs, and a period report that puts them side
// by side for the shop, each store and each staff member.
//
// Every function is pure: it reads facts from iterators (iter.Seq2[T,
// error], the shape customer.Store streams in), takes the analysis window,
// as-of time and time zone as arguments, holds no storage, takes no
// context and never reads the clock. Every result carries the parameters
// it was computed with (window, as-of, granularity and time zone, churn
// rule, CSAT definition, currency and rounding) and its sample sizes;
// proportions and means carry a 95% confidence interval where one exists
// (Interval; the zero Interval means none). Bad input returns an error
// that errors.Is matches against a sentinel (ErrInvalidScore,
// ErrInvalidArgument, ErrMixedCurrency, ErrCurrency, ErrUnsorted) and a
// *FieldError naming the field; an error from an input iterator is
// returned wrapped, so errors.Is finds the caller's own error too.
//
// # Satisfaction
//
// Answers arrive as Score records (Kind, Value, Time, Store, Staff,
// Channel, CustomerID). ScoresFrom maps a feedback.Response stream into
// them (ScoresOf one response): each NPS, CSAT and CES answer becomes a
// Score with the response's time, store, staff and channel; star ratings
// and comments are skipped.
// Satisfaction summarises a stream; SatisfactionBy groups it by ByStore,
// ByStaff, ByChannel or ByPeriod (day, ISO week or month in a
// *time.Location); SatisfactionOver gives a trend with one point per
// calendar period of a window, empty periods included.
//
//   - NPS (Net Promoter Score), 0–10 answers: promoters answer 9–10,
//     passives 7–8, detractors 0–6; NPS = 100 × (promoters − detractors) / n,
//     from −100 to 100. Interval: adjusted Wald (Rocks 2016, The American
//     Statistician 70(4); recommended by Lewis & Sauro at MeasuringU):
//     add ¾ promoter, 1½ passive and ¾ detractor, then use the Wald
//     interval of the difference of the two adjusted proportions; see
//     AdjustedWaldNPS.
//   - CSAT, answers 1..Scale (5 unless set): the share of answers at or
//     above TopBox (Scale−1 unless set, the "top two boxes"), 0–1. Interval:
//     Wilson score (WilsonInterval).
//   - CES (customer effort score, CES 2.0), answers 1–7: the mean.
//     Interval: Student t with n−1 degrees of freedom and the sample
//     standard deviation (not the normal approximation, which is too
//     narrow for the small samples a single store or week yields); none
//     for n < 2; clipped to the scale.
//
// # Customer behaviour
//
// These read customer.Purchase streams oldest first, as
// customer.Store.PurchasesBetween yields them (ErrUnsorted otherwise), and
// optionally customer.Return streams. Only member purchases (non-empty
// CustomerID) identify customers; anonymous sales count in sales totals.
// Windows are half-open, [From, To).
//
//   - CustomerActivity: Active = members with a purchase in the window;
//     New = those whose first purchase in the stream is in it (so the
//     stream must start at the beginning of history); Returning = Active −
//     New; Frequency = member purchases / Active; Repeat (repeat purchase
//     rate) = share of Active with two or more purchases in the window.
//   - SalesIn: Gross = Σ Purchase.Total in the window; Refunds = Σ
//     Return.Refund of returns of those purchases made before the window's
//     end; Net = Gross − Refunds (net of returns); AOV (average order
//     value) = Net / orders; RevenuePerCustomer = members' Net / members
//     with an order; MemberSalesShare = members' Net / Net and
//     MemberOrderShare = member orders / orders (members' share of sales).
//   - RetentionIn, under a stated ChurnRule: PeriodOverPeriod ("bought in
//     the previous window, not in this one") or Inactivity ("no purchase
//     in the N days after the last purchase": at risk = not lapsed at the
//     window's start; churned = lapsed at any moment inside the window).
//     Retention rate = retained / at risk and churn rate = churned / at
//     risk, each with a Wilson interval; new and reactivated customers
//     are counted beside them.
//   - Cohorts: cohort retention table by first-purchase period (month,
//     week or day in a time zone): per cohort and later period, customers
//     who bought, their share of the cohort, net revenue, and cumulative
//     net revenue per cohort customer.
//   - HistoricValue (historic CLV): realised net revenue per customer
//     (gross − refunds before as-of) and per first-purchase cohort. The
//     predictive models (BG/NBD, Gamma-Gamma) live in package clv.
//
// # Loyalty programme
//
// These read loyalty ledger entries (iter.Seq2[ledger.Entry, error], every
// account's entries as loyalty.Store.Entries yields them, in any order).
//
//   - PointsIn: points issued (earned), redeemed (net of redemptions given
//     back on returns), expired, clawed back and adjusted in a window, with
//     ledger.Totals kind by kind; RedemptionRate = redeemed / issued and
//     BreakageRate = expired / issued as flow ratios of the window.
//   - ExpectedBreakage: B = E / (E + R) over the history before as-of: of
//     the points whose fate is settled, the share that expired rather than
//     being redeemed (clawbacks left out: they undo an issue), rounded to
//     RateScale places.
//   - LiabilityAt: the expected redemption value of the points outstanding
//     = outstanding points × value per point × expected redemption rate,
//     rounded to the currency's minor unit half away from zero: the
//     points' stand-alone selling price, and what the promise will cost to
//     honour. Outstanding is per account the points in lots (available,
//     pending and held) less debt, never below zero. The redemption rate is
//     LiabilityOptions.RedemptionRate when given, else estimated as
//     1 − ExpectedBreakage from the same ledger (RateSource says which;
//     with nothing settled yet every point is assumed redeemed). It is not
//     the IFRS 15 contract liability, which a ledger alone cannot give.
//   - AllocatePoints and PointsAllocation.Release: the IFRS 15 contract
//     liability of one sale, by relative stand-alone selling prices
//     (IFRS 15.76, B42): points' share = round(price × points' SSP /
//     (goods' SSP + points' SSP)), the goods take the rest, and the share
//     is recognised as points are redeemed, in proportion to the
//     redemptions expected in total (Illustrative Example 52), in full once
//     every point not redeemed has expired. One rounding per figure, half
//     away from zero to the minor unit. A sale of 2,000 USD earning 2,000
//     points worth 0.10, 85% expected redeemed: LiabilityAt says 170, the
//     contract liability is 156.68.
//   - TierDistributionAt and TierMigrationBetween: members per tier at a
//     date (TierState.Effective, so overrides count) and the migration
//     matrix between two dates from stored tier states (MemberTier, or
//     TiersOf a loyalty.Account stream), with joiners and leavers apart.
//   - CouponUsageIn: coupons issued, used and expired in a window and the
//     use rate of those issued in it (Coupons flattens accounts).
//
// # Complaints
//
// ComplaintsIn reads feedback.Complaint streams (ComplaintsBetween) for
// the complaints received in a window: volume by category; first-response
// and resolution times as median and p90 (Hyndman & Fan definition 7) in
// business time on the complaint's SLA calendar when
// ComplaintOptions.Policies holds its policy (feedback.SLAPolicy's
// FirstResponseTime and ResolutionTime, waits on the customer not counted
// for resolution), in wall time otherwise, with the basis reported (Basis,
// BusinessN); SLA compliance among complaints already decided (resolved or
// breached) with a Wilson interval; reopen rate among those ever resolved;
// remedy count, exact cost and goodwill points by kind (one currency); and
// the customers' 1–5 rating of the handling as a CSAT.
//
// # Period report
//
// BuildReport measures a period against the previous one (ReportOptions:
// Current, Previous, time zone, granularities, tier ladder, liability
// valuation) for the shop, each store and each staff member: sales,
// customers, new customers, repeat rate, retention, NPS, CSAT, CES,
// complaint KPIs, points issued, redeemed and expired, outstanding points
// and liability, every figure as the KPI result that carries its own
// parameters and sample size. Retention is period-over-period against the
// window before. Store and staff rows count only the points entries that
// name their purchases. The report also holds the cohort table, the NPS
// trend and the tier tables. It splits the facts of its range by scope in
// one pass, so rows cost their own facts, not the whole history.
//
// WriteText renders it as aligned text tables (display width, so Chinese
// labels line up) and WriteHTML as one self-contained page, inline CSS and
// no external assets, with a cohort retention heatmap, an NPS trend line
// and tier distribution bars drawn as inline SVG; html/template escapes
// every text. Labels are English or Simplified Chinese
// (RenderOptions.Language), from a golang.org/x/text/message catalog the
// package builds for itself with catalog.NewBuilder; x/text's package-level
// default catalog is not touched.
//
// # Configuration
//
// ChurnRule, SatisfactionOptions and LiabilityOptions are data: they load
// from JSON with ParseChurnRule, ParseSatisfactionOptions and
// ParseLiabilityOptions, which refuse unknown fields and report every
// problem at once (errors.Join of *FieldError).
//
// # Money
//
// Money is decimal.Decimal. Sums are exact; quotients (AOV, per-customer
// figures) are rounded to the currency's minor unit as
// golang.org/x/text/currency gives it (2 for CNY, 0 for JPY, 3 for KWD),
// halves away from zero (RoundingRule); results carry the currency and
// scale. A refund counts against the purchase it references, in that
// purchase's period, if made before the cut-off (the window's end or
// as-of). One computation takes one currency: a second currency is
// ErrMixedCurrency, not a silent sum; filter with PurchasesIn and
// ReturnsIn and compute per currency. Shares of money are reported as
// float64, converted explicitly from decimal.
package metrics
