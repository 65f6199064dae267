package feedback_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/feedback"
)

const benchTickets = 100_000

var (
	benchOnce  sync.Once
	benchStore *feedback.MemoryStore
	benchNow   time.Time
)

// openTickets takes in 100,000 complaints through the service, one every
// 26 seconds over a month, with mixed priorities, and leaves them all open.
// benchNow is a time at which about 1% of them are overdue.
func openTickets(b *testing.B) (*feedback.MemoryStore, time.Time) {
	benchOnce.Do(func() {
		p := loadPolicy(b)
		benchStore = feedback.NewMemoryStore()
		clock := &fakeClock{}
		svc, err := feedback.New(benchStore, p, &feedback.Options{Clock: clock.Now})
		if err != nil {
			b.Fatal(err)
		}
		start := sh(b, 2026, 11, 2, 9, 0)
		clock.Set(start.Add(31 * 24 * time.Hour)) // the lanes sync at the end of the month
		prios := []feedback.Priority{feedback.PriorityLow, feedback.PriorityNormal, feedback.PriorityNormal, feedback.PriorityHigh, feedback.PriorityUrgent}
		for i := range benchTickets {
			in := intake(fmt.Sprintf("c-%06d", i), prios[i%len(prios)])
			in.ReceivedAt = start.Add(time.Duration(i) * 26 * time.Second)
			if _, _, err := svc.ReceiveComplaint(context.Background(), in); err != nil {
				b.Fatal(err)
			}
		}
		// The instant at which 1% are overdue: just after the 1,000th
		// earliest deadline.
		var dues []time.Time
		for c, err := range benchStore.OpenComplaints(context.Background()) {
			if err != nil {
				b.Fatal(err)
			}
			dues = append(dues, c.DueAt)
		}
		slices.SortFunc(dues, time.Time.Compare)
		benchNow = dues[benchTickets/100-1].Add(time.Nanosecond)
	})
	return benchStore, benchNow
}

// BenchmarkOverdueComplaints finds the overdue complaints among 100,000
// open tickets, through the store's due index and through the generic
// scan of open complaints.
func BenchmarkOverdueComplaints(b *testing.B) {
	st, now := openTickets(b)
	p := loadPolicy(b)
	for _, tc := range []struct {
		name  string
		store feedback.Store
	}{{"index", st}, {"scan", withoutIndex{st}}} {
		b.Run(tc.name, func(b *testing.B) {
			svc, err := feedback.New(tc.store, p, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n = 0
				for _, err := range svc.OverdueComplaints(context.Background(), now) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			b.ReportMetric(float64(n), "overdue")
		})
	}
}

func BenchmarkCalendarDeadline(b *testing.B) {
	c := shopCalendar(b)
	start := sh(b, 2026, 11, 20, 17, 30)
	pauses := []feedback.Interval{{Start: start.Add(time.Hour), End: start.Add(40 * time.Hour)}}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := c.Deadline(start, 24*time.Hour, pauses); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReceiveComplaint(b *testing.B) {
	f := newFixture(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := f.svc.ReceiveComplaint(context.Background(), intake(fmt.Sprint("c-", i), feedback.PriorityNormal)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckOverdue is the scheduler's steady state over 100,000 open
// tickets: the overdue 1% read through the index and found already
// reported and escalated as far as their lateness warrants.
func BenchmarkCheckOverdue(b *testing.B) {
	st, now := openTickets(b)
	clock := &fakeClock{}
	clock.Set(now)
	svc, err := feedback.New(st, loadPolicy(b), &feedback.Options{Clock: clock.Now})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CheckOverdue(context.Background()); err != nil { // the first run writes
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		evs, err := svc.CheckOverdue(context.Background())
		if err != nil || len(evs) != 0 {
			b.Fatal(err, len(evs))
		}
	}
}
