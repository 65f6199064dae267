package metrics

import (
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// Activity counts who bought in a window. Only member purchases (with a
// CustomerID) count; returns do not undo activity.
type Activity struct {
	Window Window `json:"window"`
	// HistoryFrom is the time of the first purchase in the stream. "New"
	// means first purchase in the stream, so the stream must start at the
	// beginning of the shop's history (or of the period the caller wants
	// newness measured against).
	HistoryFrom time.Time `json:"historyFrom"`
	// Active is the number of customers with at least one purchase in the
	// window; New of them made their first purchase in it; Returning had
	// bought before.
	Active    int `json:"active"`
	New       int `json:"new"`
	Returning int `json:"returning"`
	// Orders is the number of member purchases in the window.
	Orders int `json:"orders"`
	// Frequency is Orders / Active: purchases per active customer.
	Frequency float64 `json:"frequency"`
	// Repeat is the repeat purchase rate: of the active customers, those
	// with at least two purchases in the window (purchases, not days: two
	// tickets on one visit count as two).
	Repeat Rate `json:"repeat"`
}

// CustomerActivity computes Activity over member purchases in w. The stream
// must be oldest first; purchases before w only establish who is new,
// purchases at or after w.To are not read.
func CustomerActivity(purchases iter.Seq2[customer.Purchase, error], w Window) (Activity, error) {
	if err := w.Validate(); err != nil {
		return Activity{}, err
	}
	type state struct {
		seenBefore bool
		inWindow   int
	}
	seen := map[string]*state{}
	out := Activity{Window: w}
	err := walkPurchases(purchases, w.To, func(p *customer.Purchase) error {
		if out.HistoryFrom.IsZero() {
			out.HistoryFrom = p.Time
		}
		if p.Anonymous() {
			return nil
		}
		s := seen[p.CustomerID]
		if s == nil {
			s = &state{}
			seen[p.CustomerID] = s
		}
		if p.Time.Before(w.From) {
			s.seenBefore = true
			return nil
		}
		s.inWindow++
		out.Orders++
		return nil
	})
	if err != nil {
		return Activity{}, err
	}
	repeaters := 0
	for _, s := range seen {
		if s.inWindow == 0 {
			continue
		}
		out.Active++
		if !s.seenBefore {
			out.New++
		}
		if s.inWindow >= 2 {
			repeaters++
		}
	}
	out.Returning = out.Active - out.New
	if out.Active > 0 {
		out.Frequency = float64(out.Orders) / float64(out.Active)
	}
	out.Repeat = newRate(repeaters, out.Active)
	return out, nil
}
