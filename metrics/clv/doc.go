// Package clv predicts customer lifetime value from purchase histories with
// the BG/NBD model of purchase counts (Fader, Hardie & Lee 2005, "Counting
// Your Customers the Easy Way") and the Gamma-Gamma model of spend per
// purchase (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value").
// Beside BG/NBD it fits the Pareto/NBD (Schmittlein, Morrison & Colombo
// 1987) and the MBG/NBD (Batislam, Denizel & Filiztekin 2007) on the same
// summaries, and the BG/BB (Fader, Hardie & Shang 2010) on discrete-time
// histories (DiscreteSummary: yearly donations, annual events), and it
// validates them: SplitHoldout cuts a transaction stream at a date,
// ValidationTable and Tracking set holdout purchases beside predictions,
// and CompareModels scores several models by log-likelihood, AIC, BIC and
// holdout error.
//
// The pipeline is three pure steps, each taking its parameters explicitly:
//
//  1. Summarize turns an iterator of Transactions (customer ID, time,
//     amount) into one Summary per customer: Frequency, Recency, T and the
//     mean repeat spend, in an explicit Unit up to an explicit calibration
//     end, with calendar days taken in an explicit *time.Location.
//     SummarizeTable does the same for a compact table read from a CSV or
//     TSV export (segment/txnfile), on SummaryParams.Workers goroutines.
//  2. FitBGNBD and FitGammaGamma estimate the models by maximum likelihood
//     and return the parameters with their sample size and optimiser
//     diagnostics. FitOptions.Workers spreads the BG/NBD, MBG/NBD and
//     Gamma-Gamma likelihoods over goroutines; the fit is the same for any
//     number.
//  3. The fitted models predict: BGNBD.ProbabilityAlive,
//     BGNBD.ExpectedPurchases, BGNBD.ConditionalExpectedPurchases,
//     GammaGamma.ConditionalExpectedAverageProfit, and LifetimeValues
//     combines them over a Horizon into decimal money.
//
// # Models and assumptions
//
// BG/NBD: while alive, a customer buys as a Poisson process with rate λ;
// λ varies across customers as Gamma(r, α). After every repeat purchase the
// customer drops out for good with probability p; p varies as Beta(a, b).
// λ and p are independent. Only repeat purchases are counted: the first
// purchase starts the clock. Large r/α means frequent buyers, large b/a
// loyal ones. The model suits non-contractual settings (retail) where
// churn is never observed directly.
//
// Pareto/NBD: the same purchase process, but the lifetime is exponential
// with rate μ ~ Gamma(s, β), so a customer can die at any moment, also
// before a first repeat purchase. MBG/NBD: BG/NBD with a dropout coin at
// time 0 too. Both give one-time buyers a P(alive) below 1, which BG/NBD
// does not. BG/BB: at each discrete opportunity an alive customer
// transacts with probability p ~ Beta(α, β) and, before it, dies with
// probability θ ~ Beta(γ, δ). BG/NBD and Pareto/NBD also give the full
// distribution of a new customer's repeat purchases, P(X(t) = n).
//
// Gamma-Gamma: a customer's spend per transaction is Gamma(p, ν) with
// ν ~ Gamma(q, v) across customers, so the mean spend E[Z] = p v/(q-1)
// exists only for q > 1. Spend is assumed independent of purchase
// frequency (check the correlation of Frequency and Monetary before
// relying on it) and strictly positive: the fit refuses repeat buyers with
// a zero or negative mean (ErrNonPositiveMonetary). It is fitted on repeat
// buyers only, with the mean of their repeat-purchase days.
//
// # Time units
//
// Every summary set and fitted model carries its Unit (Day, Week or UnitOf
// any duration). Alpha and every time argument of the predictions are in
// that unit; LifetimeValues refuses data in another unit
// (ErrUnitMismatch), and a Horizon is a real duration per period
// (e.g. 30 days) converted into the model's unit, so a weekly model cannot
// silently be fed daily horizons. Day counting follows the lifetimes
// convention for daily data: purchases are cut to calendar days in the
// given location, several purchases on one day are one purchase day, and
// recency and T are whole days divided by the unit length (the CDNOW
// summaries in weeks are days/7). The calibration end day is included.
//
// # Numerics
//
// Statistics run in float64 (they are estimates, not money); money is
// converted explicitly at the boundary: Summary.Monetary is the float64 of
// the exact decimal mean, and Value.Value is converted back to
// decimal.Decimal and rounded half away from zero to Horizon.Places.
// Likelihoods are evaluated in log space (log-gamma, a softplus form of
// the log-sum-exp) so frequencies in the millions do not overflow. The
// hypergeometric function 2F1 in the conditional expectation is reduced by
// Euler's transformation to a form whose parameters do not grow with the
// frequency, summed as a series with a tail bound, and switched to the
// 1-z connection formulas near z = 1; every series that fails to converge
// returns ErrNumerical instead of a number. The Pareto/NBD likelihood's
// hypergeometric term is rewritten by Pfaff's transformation into a series
// with positive terms and an argument in [0, 1) in both the α < β and
// α >= β cases (see ParetoNBD.lnH), so it neither overflows nor cancels
// at huge frequencies; its P(X(t) = n) integrates the death-time mixture
// by tanh-sinh quadrature. Removable singularities (a = 1 and a+b = 1 in
// BG/NBD, s = 1 in Pareto/NBD, γ = 1 in BG/BB) are evaluated through
// expm1-style forms that give the limit.
//
// # Fitting
//
// The optimiser is a BFGS method with a weak-Wolfe line search over the
// logarithms of the parameters (which keeps them positive), with analytic
// gradients, run from several fixed starting points until two converged
// runs agree; a start after the first converged run begins with that
// run's curvature estimate. Identical (x, t_x, T) rows are merged with
// weights before fitting when a sample of the customers shows that enough
// of them repeat (BGNBDFit.DistinctRows says how many rows were
// summed). A fit that does not pass its gradient test returns a
// *NotConvergedError (errors.Is ErrNotConverged) carrying the
// Diagnostics; it never fails silently. A fit that converges to a point the
// data do not identify (a parameter run off towards 0 or infinity, as with
// one customer or no repeat purchases, or a singular observed information)
// returns a *NotIdentifiedError (errors.Is ErrNotIdentified) and
// Diagnostics.Identified = false. A converged fit also carries each
// parameter's standard error and 95% confidence interval from the observed
// information (Interval). On the CDNOW sample FitBGNBD
// reproduces r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = -9582.4 and
// FitGammaGamma p = 6.25, q = 3.74, v = 15.44; FitParetoNBD reproduces
// r = 0.553, α = 10.578, s = 0.606, β = 11.669 (β to 0.002, see the test),
// LL = -9595.0, and on the donations data FitBGBB reproduces α = 1.204,
// β = 0.750, γ = 0.657, δ = 2.783. Pareto/NBD and BG/BB take their
// gradient by central differences (the hypergeometric and beta-sum terms
// have no convenient closed-form derivatives), BG/NBD, MBG/NBD and
// Gamma-Gamma analytically.
//
// The package depends on no other clientele package: hosts map their
// purchase records to Transaction.
package clv
