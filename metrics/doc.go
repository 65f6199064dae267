// Package metrics computes the business figures a retailer reads about its
// customers: satisfaction (NPS, CSAT, CES), activity, sales, retention and
// churn, cohort tables, and historic customer lifetime value.
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
// Channel, CustomerID), into which survey responses are mapped.
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
// # Configuration
//
// ChurnRule and SatisfactionOptions are data: they load from JSON with
// ParseChurnRule and ParseSatisfactionOptions, which refuse unknown fields
// and report every problem at once (errors.Join of *FieldError).
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
