package clv_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/metrics/clv"
	"github.com/shopspring/decimal"
)

// The published Pareto/NBD parameters for CDNOW (weeks) beside the
// BG/NBD ones, for the paper's first sample customer and for a customer
// who never came back. The Pareto/NBD lets a one-time buyer die unseen;
// the BG/NBD keeps every one-time buyer alive.
func ExampleParetoNBD_ProbabilityAlive() {
	pn := clv.ParetoNBD{R: 0.553, Alpha: 10.578, S: 0.606, Beta: 11.669, Unit: clv.Week}
	bg := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: clv.Week}
	for _, c := range []struct {
		x     int
		tx, T float64
	}{{2, 30.43, 38.86}, {0, 0, 38.86}} {
		p1, err := pn.ProbabilityAlive(c.x, c.tx, c.T)
		if err != nil {
			fmt.Println(err)
			return
		}
		p2, _ := bg.ProbabilityAlive(c.x, c.tx, c.T)
		e, _ := pn.ConditionalExpectedPurchases(39, c.x, c.tx, c.T)
		fmt.Printf("x=%d: P(alive) Pareto/NBD %.3f, BG/NBD %.3f; next 39 weeks %.3f\n", c.x, p1, p2, e)
	}
	// Output:
	// x=2: P(alive) Pareto/NBD 0.869, BG/NBD 0.727; next 39 weeks 1.455
	// x=0: P(alive) Pareto/NBD 0.295, BG/NBD 1.000; next 39 weeks 0.107
}

// The MBG/NBD lets a customer drop out right after the first purchase, so
// a one-time buyer who has been quiet for a long time is probably gone.
func ExampleMBGNBD_ProbabilityAlive() {
	m := clv.MBGNBD{R: 0.525, Alpha: 6.183, A: 0.891, B: 1.614, Unit: clv.Week}
	for _, T := range []float64{1, 10, 39} {
		p, err := m.ProbabilityAlive(0, 0, T)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("no repeat purchase after %2.0f weeks: P(alive) %.2f\n", T, p)
	}
	// Output:
	// no repeat purchase after  1 weeks: P(alive) 0.63
	// no repeat purchase after 10 weeks: P(alive) 0.52
	// no repeat purchase after 39 weeks: P(alive) 0.39
}

// The donations data of Fader, Hardie & Shang (2010): 11,104 first-time
// donors of 1995, each pattern of repeat donations over the six annual
// drives 1996-2001 with its number of donors.
func ExampleFitBGBB() {
	rows := []clv.DiscreteSummary{
		{0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78}, {1, 5, 6, 119},
		{1, 6, 6, 129}, {2, 2, 6, 613}, {2, 3, 6, 255}, {2, 4, 6, 155}, {2, 5, 6, 173}, {2, 6, 6, 234},
		{3, 3, 6, 322}, {3, 4, 6, 181}, {3, 5, 6, 225}, {3, 6, 6, 357}, {4, 4, 6, 240}, {4, 5, 6, 284},
		{4, 6, 6, 512}, {5, 5, 6, 335}, {5, 6, 6, 728}, {6, 6, 6, 1203},
	}
	fit, err := clv.FitBGBB(rows, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	m := fit.Model
	fmt.Printf("alpha=%.3f beta=%.3f gamma=%.3f delta=%.3f LL=%.1f n=%d\n", m.Alpha, m.Beta, m.Gamma, m.Delta, fit.LogLikelihood, fit.Customers)
	// A donor who gave in 1996-1999 but not in 2000 or 2001:
	alive, _ := m.ProbabilityAlive(4, 4, 6)
	next, _ := m.ConditionalExpectedTransactions(5, 4, 4, 6)
	fmt.Printf("P(alive in 2002) %.3f, donations 2002-2006 %.3f\n", alive, next)
	// Output:
	// alpha=1.204 beta=0.750 gamma=0.657 delta=2.783 LL=-33225.6 n=11104
	// P(alive in 2002) 0.200, donations 2002-2006 0.583
}

// The distribution of repeat purchases of a new CDNOW customer in the
// first 39 weeks, under the published BG/NBD parameters.
func ExampleBGNBD_ProbabilityOfPurchases() {
	m := clv.BGNBD{R: 0.243, Alpha: 4.414, A: 0.793, B: 2.426, Unit: clv.Week}
	for n := range 4 {
		p, err := m.ProbabilityOfPurchases(39, n)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("P(X(39) = %d) = %.3f\n", n, p)
	}
	// Output:
	// P(X(39) = 0) = 0.574
	// P(X(39) = 1) = 0.199
	// P(X(39) = 2) = 0.085
	// P(X(39) = 3) = 0.046
}

// A fit on data that cannot identify the model fails with
// ErrNotIdentified instead of returning edge-of-space numbers.
func ExampleNotIdentifiedError() {
	var cs []clv.Summary
	for i := range 200 { // nobody ever came back
		cs = append(cs, clv.Summary{CustomerID: fmt.Sprint(i), T: float64(10 + i%20)})
	}
	_, err := clv.FitBGNBD(clv.Summaries{Unit: clv.Week, Customers: cs}, nil)
	var ni *clv.NotIdentifiedError
	fmt.Println(errors.Is(err, clv.ErrNotIdentified), errors.As(err, &ni) && ni.Singular)
	// Output:
	// true true
}

// Split a purchase log at a date, then score models fitted on the
// calibration period by the holdout.
func ExampleSplitHoldout() {
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, time.UTC) }
	one := decimal.NewFromInt(10)
	log := []clv.Transaction{
		{CustomerID: "a", Time: day(1, 2), Amount: one}, {CustomerID: "a", Time: day(1, 20), Amount: one},
		{CustomerID: "b", Time: day(1, 5), Amount: one},
		{CustomerID: "c", Time: day(1, 9), Amount: one}, {CustomerID: "c", Time: day(2, 1), Amount: one},
		{CustomerID: "a", Time: day(3, 15), Amount: one}, {CustomerID: "c", Time: day(3, 2), Amount: one},
	}
	h, err := clv.SplitHoldout(purchases(log), clv.HoldoutParams{
		CalibrationEnd: day(2, 29), HoldoutEnd: day(4, 25), Unit: clv.Week, Location: time.UTC,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d customers, holdout %.0f weeks, holdout purchases %v\n", len(h.Calibration.Customers), h.Length, h.Purchases)
	bg := clv.BGNBD{R: 0.5, Alpha: 5, A: 0.8, B: 2.5, Unit: clv.Week}
	pn := clv.ParetoNBD{R: 0.5, Alpha: 5, S: 0.6, Beta: 10, Unit: clv.Week}
	cmp, err := clv.CompareModels(h, bg, pn)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range cmp {
		fmt.Printf("%-10s LL %.2f AIC %.2f holdout %.2f predicted vs %d\n", c.Model, c.LogLikelihood, c.AIC, c.HoldoutPredicted, c.HoldoutActual)
	}
	// Output:
	// 3 customers, holdout 8 weeks, holdout purchases [1 0 1]
	// BG/NBD     LL -7.43 AIC 22.87 holdout 1.28 predicted vs 2
	// Pareto/NBD LL -7.96 AIC 23.92 holdout 1.46 predicted vs 2
}
