package main

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"

	"github.com/clientele-go/clientele/segment/txnfile"
)

// firstDay is 2023-01-01 as a day number; the data covers two years.
const (
	firstDay = 19358
	spanDays = 730
)

// generate makes the data set: purchases rows of customers customers in
// time order (as a till export is), drawn as the BG/NBD model describes
// buyers (Fader, Hardie & Lee 2005), so that its fit has something to
// find. Each customer arrives on a random day with a first purchase, then
// buys as a Poisson process with a rate λ ~ Gamma(0.8) (scaled so the
// data holds enough purchases) and after each purchase drops out with a
// probability p ~ Beta(1, 5). Rows drawn beyond the wanted number are
// removed at random (thinning, which keeps each customer's process
// Poisson). Amounts are 1.00 to 500.00. The same seed gives the same rows.
func generate(purchases, customers int, seed uint64) *txnfile.Table {
	var cust, day []int32
	for scale := 0.02; ; {
		r := rand.New(rand.NewPCG(seed, 2024))
		cust, day = cust[:0], day[:0]
		for c := range customers {
			start := r.IntN(spanDays)
			lambda := gamma(r, 0.8) * scale
			p := 1 / (1 + gamma(r, 5)/gamma(r, 1)) // Beta(1, 5)
			t := float64(start)
			for {
				cust, day = append(cust, int32(c)), append(day, int32(t))
				if r.Float64() < p {
					break
				}
				if t += r.ExpFloat64() / lambda; t >= spanDays {
					break
				}
			}
		}
		if len(cust) >= purchases {
			break
		}
		scale *= 1.2 * float64(purchases) / float64(len(cust))
	}
	r := rand.New(rand.NewPCG(seed, 7))
	drop := make([]bool, len(cust))
	for excess := len(cust) - purchases; excess > 0; {
		if i := r.IntN(len(cust)); !drop[i] {
			drop[i] = true
			excess--
		}
	}
	perDay := make([]int, spanDays+1)
	for i, d := range day {
		if !drop[i] {
			perDay[d+1]++
		}
	}
	for d := 1; d <= spanDays; d++ {
		perDay[d] += perDay[d-1]
	}
	order := make([]int32, purchases) // kept rows by day: a counting sort
	for i, d := range day {
		if !drop[i] {
			order[perDay[d]] = int32(i)
			perDay[d]++
		}
	}
	tab := txnfile.NewTable(purchases, customers)
	tab.Places = 2
	ids := make([][]byte, customers)
	for i := range ids {
		ids[i] = fmt.Appendf(nil, "C%07d", i)
	}
	for _, i := range order {
		amount := 100 + r.Int64N(49901)
		if err := tab.Add(ids[cust[i]], firstDay+day[i], amount); err != nil {
			panic(err) // cannot happen: IDs are non-empty and the counts small
		}
	}
	return tab
}

// gamma draws a Gamma(shape, 1) variate (Marsaglia and Tsang 2000; a
// shape below one is boosted by a uniform power).
func gamma(r *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(r, shape+1) * math.Pow(r.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// writeCSV writes the table as the CSV file a till exports: a receipt
// number, the customer, an ISO date and time, the total and a store.
func writeCSV(path string, tab *txnfile.Table) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("receipt,customer,date,amount,store\n")
	var line []byte
	for i := range tab.Len() {
		y, m, d := txnfile.Date(tab.Day[i])
		a := tab.Amount[i]
		line = strconv.AppendInt(line[:0], int64(i+1), 10)
		line = append(line, ',')
		line = append(line, tab.IDs[tab.Customer[i]]...)
		line = fmt.Appendf(line, ",%04d-%02d-%02d %02d:%02d,%d.%02d,S%02d\n", y, m, d, 8+i%12, i%60, a/100, a%100, i%40)
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
