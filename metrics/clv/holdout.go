package clv

import (
	"fmt"
	"iter"
	"math"
	"slices"
	"time"
)

// PurchaseModel is what the validation tools need of a fitted purchase
// model; BGNBD, MBGNBD and ParetoNBD implement it.
type PurchaseModel interface {
	// ModelName names the model in tables and charts ("BG/NBD").
	ModelName() string
	// ParameterCount is the number of fitted parameters (for AIC and BIC).
	ParameterCount() int
	// TimeUnit is the unit of the model's time scale and arguments.
	TimeUnit() Unit
	LogLikelihood(x int, tx, T float64) (float64, error)
	ExpectedPurchases(t float64) (float64, error)
	ConditionalExpectedPurchases(t float64, x int, tx, T float64) (float64, error)
	ProbabilityAlive(x int, tx, T float64) (float64, error)
}

// ModelName returns "BG/NBD".
func (BGNBD) ModelName() string { return "BG/NBD" }

// ParameterCount returns 4.
func (BGNBD) ParameterCount() int { return 4 }

// TimeUnit returns m.Unit.
func (m BGNBD) TimeUnit() Unit { return m.Unit }

// ModelName returns "MBG/NBD".
func (MBGNBD) ModelName() string { return "MBG/NBD" }

// ParameterCount returns 4.
func (MBGNBD) ParameterCount() int { return 4 }

// TimeUnit returns m.Unit.
func (m MBGNBD) TimeUnit() Unit { return m.Unit }

// ModelName returns "Pareto/NBD".
func (ParetoNBD) ModelName() string { return "Pareto/NBD" }

// ParameterCount returns 4.
func (ParetoNBD) ParameterCount() int { return 4 }

// TimeUnit returns m.Unit.
func (m ParetoNBD) TimeUnit() Unit { return m.Unit }

// HoldoutParams are the settings of SplitHoldout. Days are counted as in
// Summarize.
type HoldoutParams struct {
	// CalibrationEnd is the last day of the calibration period (included).
	CalibrationEnd time.Time
	// HoldoutEnd is the last day of the holdout period (included); it must
	// fall on a later day than CalibrationEnd.
	HoldoutEnd time.Time
	// Unit is the unit of the summaries; for Tracking it must be a whole
	// number of days.
	Unit     Unit
	Location *time.Location
}

// Holdout is a transaction stream split at a date: the calibration
// summaries to fit a model on, what the same customers did afterwards, and
// the daily repeat-purchase counts of the cohort for the tracking plot.
type Holdout struct {
	Calibration Summaries
	// HoldoutEnd is the last day of the holdout period.
	HoldoutEnd time.Time
	// Length is the holdout period in the unit (39 weeks for CDNOW).
	Length float64
	// Purchases[i] is the number of purchase days of
	// Calibration.Customers[i] in the holdout period.
	Purchases []int
	// FirstDay is the cohort's earliest first purchase day (midnight in
	// the location), and RepeatsByDay[d] the number of repeat purchase days
	// of the cohort d days after it, through the holdout end.
	FirstDay     time.Time
	RepeatsByDay []int
	// firstDays are the customers' first purchase days relative to FirstDay.
	firstDays []int32
	unitDays  float64
}

// SplitHoldout summarises the calibration period exactly as Summarize does
// and counts, for the same customers, the purchase days after it up to
// HoldoutEnd; customers whose first purchase falls in the holdout period
// are not part of the cohort and are ignored. The stream is ranged over
// twice (a slice-backed iterator, a file reread or a database query run
// again all qualify) and must yield the same transactions both times. It
// keeps 8 bytes per distinct customer-day in memory.
func SplitHoldout(txs iter.Seq2[Transaction, error], p HoldoutParams) (*Holdout, error) {
	if p.HoldoutEnd.IsZero() {
		return nil, fieldErr("HoldoutParams.HoldoutEnd", -1, "zero time")
	}
	// Summarize's errors name SummaryParams fields, which HoldoutParams
	// shares by name.
	cal, err := Summarize(txs, SummaryParams{CalibrationEnd: p.CalibrationEnd, Unit: p.Unit, Location: p.Location})
	if err != nil {
		return nil, err
	}
	clock := dayClock{loc: p.Location}
	endDay, _ := clock.day(p.CalibrationEnd) // Summarize checked it
	holdDay, err := clock.day(p.HoldoutEnd)
	if err != nil || holdDay <= endDay {
		return nil, fieldErr("HoldoutParams.HoldoutEnd", -1, "must fall on a later day than CalibrationEnd")
	}
	ix := make(map[string]int32, len(cal.Customers))
	for i := range cal.Customers {
		ix[cal.Customers[i].CustomerID] = int32(i)
	}
	var days []int64 // customer<<32 | day offset from epoch day 0 (as uint32)
	n := 0
	for tx, err := range txs {
		if err != nil {
			return nil, fmt.Errorf("clv: reading transaction %d: %w", n, err)
		}
		if err := tx.validate(n); err != nil {
			return nil, err
		}
		n++
		c, ok := ix[tx.CustomerID]
		if !ok {
			continue
		}
		d, err := clock.day(tx.Time)
		if err != nil {
			return nil, fieldErr("Transaction.Time", n-1, err.Error())
		}
		if d > holdDay {
			continue
		}
		days = append(days, int64(c)<<32|int64(uint32(d)))
	}
	if n != cal.Transactions {
		return nil, fmt.Errorf("%w: the stream yielded %d transactions the first time and %d the second", ErrInvalidInput, cal.Transactions, n)
	}
	slices.Sort(days)
	days = slices.Compact(days)
	h := &Holdout{
		Calibration: cal,
		HoldoutEnd:  p.HoldoutEnd,
		Length:      float64(holdDay-endDay) / p.Unit.Days(),
		Purchases:   make([]int, len(cal.Customers)),
		firstDays:   make([]int32, len(cal.Customers)),
		unitDays:    p.Unit.Days(),
	}
	first := make([]int32, len(cal.Customers))
	seen := make([]bool, len(cal.Customers))
	minDay := int32(math.MaxInt32)
	for _, v := range days {
		c, d := int32(v>>32), int32(uint32(v))
		if !seen[c] {
			seen[c], first[c] = true, d
			minDay = min(minDay, d)
		}
	}
	if len(days) == 0 {
		return h, nil
	}
	h.RepeatsByDay = make([]int, holdDay-minDay+1)
	for _, v := range days {
		c, d := int32(v>>32), int32(uint32(v))
		if d == first[c] {
			continue
		}
		h.RepeatsByDay[d-minDay]++
		if d > endDay {
			h.Purchases[c]++
		}
	}
	for c := range first {
		h.firstDays[c] = first[c] - minDay
	}
	y, m, dd := time.Unix(int64(minDay)*secondsPerDay, 0).UTC().Date()
	h.FirstDay = time.Date(y, m, dd, 0, 0, 0, 0, p.Location)
	return h, nil
}

// ValidationRow is one line of the calibration/holdout table: the
// customers with a given calibration frequency (the last row collects that
// frequency and more), their mean holdout purchases and the model's mean
// conditional expectation for them.
type ValidationRow struct {
	Frequency int
	OrMore    bool
	Customers int
	Actual    float64
	Predicted float64
}

// ValidationTable compares the mean holdout purchases with the model's
// conditional expectations, grouped by calibration frequency 0, 1, ...,
// top-1 and "top or more" (Fader, Hardie & Lee 2005, Figure 3 uses top 7).
// Empty groups are kept with zero customers and NaN means.
func ValidationTable(m PurchaseModel, h *Holdout, top int) ([]ValidationRow, error) {
	if err := checkHoldoutModel(m, h); err != nil {
		return nil, err
	}
	if top < 1 || top > 1000 {
		return nil, fieldErr("top", -1, "must be between 1 and 1000")
	}
	rows := make([]ValidationRow, top+1)
	for i := range rows {
		rows[i].Frequency = i
	}
	rows[top].OrMore = true
	for i, c := range h.Calibration.Customers {
		e, err := m.ConditionalExpectedPurchases(h.Length, c.Frequency, c.Recency, c.T)
		if err != nil {
			return nil, fmt.Errorf("clv: customer %d: %w", i, err)
		}
		r := &rows[min(c.Frequency, top)]
		r.Customers++
		r.Actual += float64(h.Purchases[i])
		r.Predicted += e
	}
	for i := range rows {
		n := float64(rows[i].Customers)
		if n == 0 {
			rows[i].Actual, rows[i].Predicted = math.NaN(), math.NaN()
			continue
		}
		rows[i].Actual /= n
		rows[i].Predicted /= n
	}
	return rows, nil
}

func checkHoldoutModel(m PurchaseModel, h *Holdout) error {
	if m == nil || h == nil {
		return fieldErr("model", -1, "nil model or holdout")
	}
	if m.TimeUnit() != h.Calibration.Unit {
		return fmt.Errorf("%w: data in %s, model in %s", ErrUnitMismatch, h.Calibration.Unit, m.TimeUnit())
	}
	return nil
}

// TrackingPoint is one period of the tracking series: the cumulative
// repeat purchases of the cohort through the last day of the period,
// actual and predicted.
type TrackingPoint struct {
	// Period counts periods (units) from the cohort's first day, from 1.
	Period int
	// End is the last day of the period.
	End       time.Time
	Actual    int
	Predicted float64
}

// Tracking returns the cumulative repeat purchases of the cohort, period
// by period (one period = one unit, a whole number of days) from its first
// day through the holdout end, beside the model's prediction
// Σ_i E[X(age_i)], where age_i is the time from customer i's first purchase
// day to the period's last day, as T is measured (Fader, Hardie & Lee 2005,
// Figure 2, weekly). Customers are grouped by first purchase day, so the
// cost is one E[X(t)] per period and distinct first day.
func Tracking(m PurchaseModel, h *Holdout) ([]TrackingPoint, error) {
	if err := checkHoldoutModel(m, h); err != nil {
		return nil, err
	}
	step := int(math.Round(h.unitDays))
	if step < 1 || math.Abs(h.unitDays-float64(step)) > 1e-9 {
		return nil, fieldErr("HoldoutParams.Unit", -1, "tracking needs a whole number of days")
	}
	byFirst := make(map[int32]int)
	for _, d := range h.firstDays {
		byFirst[d]++
	}
	firsts := make([]int32, 0, len(byFirst))
	for d := range byFirst {
		firsts = append(firsts, d)
	}
	slices.Sort(firsts)
	nDays := len(h.RepeatsByDay)
	var out []TrackingPoint
	cum, day := 0, 0
	for k := 1; (k-1)*step < nDays; k++ {
		last := min(k*step, nDays) - 1 // the holdout end closes the last, possibly short, period
		for ; day <= last; day++ {
			cum += h.RepeatsByDay[day]
		}
		pred := 0.0
		for _, f := range firsts {
			if int(f) > last {
				break
			}
			e, err := m.ExpectedPurchases(float64(last-int(f)) / h.unitDays)
			if err != nil {
				return nil, err
			}
			pred += float64(byFirst[f]) * e
		}
		out = append(out, TrackingPoint{Period: k, End: h.FirstDay.AddDate(0, 0, last), Actual: cum, Predicted: pred})
	}
	return out, nil
}

// ModelComparison scores one model on a calibration/holdout split.
type ModelComparison struct {
	Model      string
	Parameters int
	// Customers is the calibration sample size.
	Customers int
	// LogLikelihood is the calibration log-likelihood; AIC = 2k - 2LL and
	// BIC = k ln(n) - 2LL with k parameters and n customers (lower is
	// better).
	LogLikelihood, AIC, BIC float64
	// HoldoutActual and HoldoutPredicted are the total holdout purchases
	// and the sum of the conditional expectations.
	HoldoutActual    int
	HoldoutPredicted float64
	// HoldoutMAE and HoldoutRMSE are the per-customer mean absolute and
	// root mean squared errors of the conditional expectations.
	HoldoutMAE, HoldoutRMSE float64
}

// CompareModels scores each model on the same split: calibration fit
// (log-likelihood, AIC, BIC) and holdout accuracy per customer. Models are
// returned in the order given.
func CompareModels(h *Holdout, models ...PurchaseModel) ([]ModelComparison, error) {
	if len(models) == 0 {
		return nil, fieldErr("models", -1, "none given")
	}
	out := make([]ModelComparison, 0, len(models))
	for _, m := range models {
		if err := checkHoldoutModel(m, h); err != nil {
			return nil, err
		}
		n := len(h.Calibration.Customers)
		c := ModelComparison{Model: m.ModelName(), Parameters: m.ParameterCount(), Customers: n}
		var se, ae float64
		for i, s := range h.Calibration.Customers {
			ll, err := m.LogLikelihood(s.Frequency, s.Recency, s.T)
			if err != nil {
				return nil, fmt.Errorf("clv: %s: customer %d: %w", c.Model, i, err)
			}
			e, err := m.ConditionalExpectedPurchases(h.Length, s.Frequency, s.Recency, s.T)
			if err != nil {
				return nil, fmt.Errorf("clv: %s: customer %d: %w", c.Model, i, err)
			}
			c.LogLikelihood += ll
			c.HoldoutActual += h.Purchases[i]
			c.HoldoutPredicted += e
			d := e - float64(h.Purchases[i])
			ae += math.Abs(d)
			se += d * d
		}
		k := float64(c.Parameters)
		c.AIC = 2*k - 2*c.LogLikelihood
		c.BIC = k*math.Log(float64(n)) - 2*c.LogLikelihood
		if n > 0 {
			c.HoldoutMAE = ae / float64(n)
			c.HoldoutRMSE = math.Sqrt(se / float64(n))
		}
		out = append(out, c)
	}
	return out, nil
}
