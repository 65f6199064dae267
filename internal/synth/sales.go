package synth

import (
	"iter"
	"slices"
	"time"
)

// Sale is the lean form of one purchase or return: the customer's index
// (see CustomerIDs), when, and the amount in minor units. A refund has
// Refund true and a positive Minor. Sales yields exactly the purchases
// and returns that Purchases and Returns yield, with equal amounts.
type Sale struct {
	Customer int32
	Unix     int64
	Minor    int64
	Refund   bool
}

// slot is one purchase before its lines are drawn: everything else about
// it is a pure function of its sequence number.
type slot struct {
	seq  uint64
	cust int
	at   time.Time
}

// Scale is the minor-unit scale of generated amounts (two decimals).
const Scale = 2

// slots yields every purchase slot in time order, day by day.
func (s *Shop) slots() iter.Seq[slot] {
	return func(yield func(slot) bool) {
		var seq uint64
		secs := make([]int, 0, 64)
		for d, n := range s.perDay {
			secs = secs[:0]
			for k := range n {
				// Trading hours 09:00 to 21:00 local time.
				secs = append(secs, 9*3600+s.below(tagSecond, uint64(d), uint64(k), 12*3600))
			}
			slices.Sort(secs)
			day := s.firstDay.AddDate(0, 0, d)
			pool := s.joined(d)
			for k, sec := range secs {
				cust := s.skewed(tagCustomer, uint64(d), uint64(k), pool, 2)
				at := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, sec, 0, s.cfg.Location)
				if !yield(slot{seq: seq, cust: cust, at: at}) {
					return
				}
				seq++
			}
		}
	}
}

// Sales yields purchases and refunds merged in time order (a refund
// after the purchases of the same instant), without building records.
func (s *Shop) Sales() iter.Seq[Sale] {
	return func(yield func(Sale) bool) {
		var pending returnHeap
		end := s.cfg.End.Unix()
		for sl := range s.slots() {
			unix := sl.at.Unix()
			for len(pending) > 0 && pending[0].at < unix {
				r := pending.pop()
				if !yield(Sale{Customer: int32(r.cust), Unix: r.at, Minor: r.minor, Refund: true}) {
					return
				}
			}
			total, first := s.amounts(sl.seq)
			if !yield(Sale{Customer: int32(sl.cust), Unix: unix, Minor: total}) {
				return
			}
			if r, ok := s.returnOf(sl, first); ok && r.at < end {
				pending.push(r)
			}
		}
		for len(pending) > 0 {
			r := pending.pop()
			if !yield(Sale{Customer: int32(r.cust), Unix: r.at, Minor: r.minor, Refund: true}) {
				return
			}
		}
	}
}

// pendingReturn is a return waiting for its time to come in the stream.
type pendingReturn struct {
	at    int64
	seq   uint64
	cust  int
	minor int64
	store int
	chn   int
}

// returnOf decides whether purchase sl gets a return of its first line,
// and when (1 to 30 days later, within trading hours).
func (s *Shop) returnOf(sl slot, firstLine int64) (pendingReturn, bool) {
	if s.below(tagReturn, sl.seq, 0, 1000) >= s.cfg.ReturnPerMille {
		return pendingReturn{}, false
	}
	delay := time.Duration(1+s.below(tagReturnDelay, sl.seq, 0, 30)) * 24 * time.Hour
	at := sl.at.Add(delay).Unix()
	return pendingReturn{at: at, seq: sl.seq, cust: sl.cust, minor: firstLine,
		store: s.storeOf(sl), chn: s.channelOf(sl.seq)}, true
}

// returnHeap is a min-heap by (time, purchase sequence); it holds at most
// the returns of the next 30 days.
type returnHeap []pendingReturn

func (h returnHeap) less(i, j int) bool {
	return h[i].at < h[j].at || (h[i].at == h[j].at && h[i].seq < h[j].seq)
}

func (h *returnHeap) push(r pendingReturn) {
	*h = append(*h, r)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.less(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *returnHeap) pop() pendingReturn {
	a := *h
	top := a[0]
	last := len(a) - 1
	a[0] = a[last]
	a = a[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(a) && a.less(l, m) {
			m = l
		}
		if r < len(a) && a.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}
