package loyalty_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withEvents adds a check-in, a share and a survey event and a member-day
// bonus on shares.
func withEvents(p *loyalty.Program) {
	noPending(p)
	p.Events = []loyalty.HostEvent{
		{Kind: "check-in", Points: 1, CheckIn: &loyalty.CheckIn{MakeUpDays: 2,
			Streak: []loyalty.StreakStep{{From: 3, Points: 2}, {From: 7, Points: 5}}}},
		{Kind: "share", Points: 5, PerDay: 2, PerPeriod: 3, Period: loyalty.PeriodWeek},
		{Kind: "survey-answered", Points: 30},
	}
	p.EarnRules = append(p.EarnRules, loyalty.EarnRule{ID: "member-day-share", Kind: loyalty.KindEventBonus,
		Event: "share", Points: 10, When: loyalty.Condition{MemberDay: loyalty.MemberDays{
			Weekdays: []loyalty.NthWeekday{{N: -1, Weekday: loyalty.Weekday(time.Friday)}}}}})
}

func TestRecordEventCaps(t *testing.T) {
	s := newShop(t, withEvents)
	m := s.member(t, "Li Lei", customer.Birthday{})
	ctx := context.Background()
	share := func(id string, when time.Time) loyalty.EventResult {
		t.Helper()
		r, err := s.loyalty.RecordEvent(ctx, loyalty.EventRequest{ID: id, MemberID: m.ID, Kind: "share", At: when})
		require.NoError(t, err)
		return r
	}
	// Monday 7 December 2026: two shares earn, the third is over the day's cap.
	mon := at(2026, 12, 7, 10, 0)
	cases := []struct {
		id     string
		when   time.Time
		points int64
		capped string
	}{
		{"s1", mon, 5, ""},
		{"s2", mon.Add(time.Hour), 5, ""},
		{"s3", mon.Add(2 * time.Hour), 0, loyalty.CappedDay},
		{"s4", mon.Add(24 * time.Hour), 5, ""},                   // Tuesday: a new day, third of the week
		{"s5", mon.Add(25 * time.Hour), 0, loyalty.CappedPeriod}, // the week's three are taken
		{"s6", mon.Add(7 * 24 * time.Hour), 5, ""},               // next Monday: a new week
		{"s7", at(2026, 12, 25, 9, 0), 15, ""},                   // the last Friday of December: member day
		{"s1", mon.Add(7 * 24 * time.Hour), 0, "mismatch"},       // an ID reused for another occurrence
		{"s2", mon.Add(time.Hour), 5, ""},                        // a replay answers as the first time
		{"s3", mon.Add(2 * time.Hour), 0, loyalty.CappedDay},     // and so does a capped one
		{"s8", at(2026, 12, 25, 23, 59), 15, ""},                 // still the member day in Shanghai
	}
	for _, c := range cases {
		if c.capped == "mismatch" {
			_, err := s.loyalty.RecordEvent(ctx, loyalty.EventRequest{ID: c.id, MemberID: m.ID, Kind: "share", At: c.when})
			assert.ErrorIs(t, err, loyalty.ErrIdempotencyMismatch, c.id)
			continue
		}
		r := share(c.id, c.when)
		assert.Equal(t, c.points, r.Points, c.id)
		assert.Equal(t, c.capped, r.Capped, c.id)
	}
	// The 26th is a Saturday: a new day, but the week (Mon 21 to Sun 27)
	// has had s7 and s8, so one more earns and the next is capped.
	assert.Equal(t, int64(5), share("s10", at(2026, 12, 26, 9, 0)).Points)
	assert.Equal(t, loyalty.CappedPeriod, share("s11", at(2026, 12, 26, 10, 0)).Capped)
	assert.Equal(t, int64(5+5+5+5+15+15+5), s.balance(t, m.ID).Available)
}

func TestRecordEventRefusals(t *testing.T) {
	s := newShop(t, withEvents)
	m := s.member(t, "Han Meimei", customer.Birthday{})
	ctx := context.Background()
	day := at(2026, 12, 10, 8, 0)
	cases := []struct {
		name  string
		req   loyalty.EventRequest
		field string
	}{
		{"unknown kind", loyalty.EventRequest{ID: "x", MemberID: m.ID, Kind: "dance", At: day}, "kind"},
		{"built-in kind", loyalty.EventRequest{ID: "x", MemberID: m.ID, Kind: loyalty.EventReview, At: day}, "kind"},
		{"no id", loyalty.EventRequest{MemberID: m.ID, Kind: "share", At: day}, "id"},
		{"make-up on a share", loyalty.EventRequest{ID: "x", MemberID: m.ID, Kind: "share", At: day, MakeUp: loyalty.Date{Year: 2026, Month: 12, Day: 9}}, "makeUp"},
		{"make-up of today", loyalty.EventRequest{ID: "x", MemberID: m.ID, Kind: "check-in", At: day, MakeUp: loyalty.Date{Year: 2026, Month: 12, Day: 10}}, "makeUp"},
		{"make-up of last month", loyalty.EventRequest{ID: "x", MemberID: m.ID, Kind: "check-in", At: day, MakeUp: loyalty.Date{Year: 2026, Month: 11, Day: 30}}, "makeUp"},
		{"make-up of no day", loyalty.EventRequest{ID: "x", MemberID: m.ID, Kind: "check-in", At: day, MakeUp: loyalty.Date{Year: 2026, Month: 12, Day: 0}}, "makeUp"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.loyalty.RecordEvent(ctx, c.req)
			var fe *loyalty.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, c.field, fe.Field)
			assert.ErrorIs(t, err, loyalty.ErrInvalid)
		})
	}
	_, err := s.loyalty.Bonus(ctx, loyalty.BonusRequest{MemberID: m.ID, Event: "share", Reference: "b1", At: day})
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "a bonus would skip the event's caps")
	_, err = s.loyalty.Account(ctx, m.ID)
	assert.ErrorIs(t, err, loyalty.ErrNotFound, "no refusal wrote anything")
}

func TestCheckInStreakAndMakeUp(t *testing.T) {
	s := newShop(t, withEvents)
	m := s.member(t, "Wei", customer.Birthday{})
	ctx := context.Background()
	in := func(id string, day int, makeUp int) loyalty.EventResult {
		t.Helper()
		r := loyalty.EventRequest{ID: id, MemberID: m.ID, Kind: "check-in", At: at(2026, 12, day, 8, 30)}
		if makeUp > 0 {
			r.MakeUp = loyalty.Date{Year: 2026, Month: 12, Day: makeUp}
		}
		res, err := s.loyalty.RecordEvent(ctx, r)
		require.NoError(t, err)
		return res
	}
	// Days 1, 2, 3 in a row: 1, 1, then 1 + 2 from the third day.
	assert.Equal(t, int64(1), in("d1", 1, 0).Points)
	assert.Equal(t, int64(1), in("d2", 2, 0).Points)
	r := in("d3", 3, 0)
	assert.Equal(t, int64(3), r.Points)
	assert.Equal(t, 3, r.Streak)
	assert.Equal(t, loyalty.CappedCheckedIn, in("d3b", 3, 0).Capped, "one check-in a day")
	// Day 4 missed; days 5 and 6 start a new run.
	assert.Equal(t, int64(1), in("d5", 5, 0).Points)
	assert.Equal(t, int64(1), in("d6", 6, 0).Points)
	// On day 7 the member makes up day 4: the runs join into 1..6, whose
	// days 4, 5 and 6 now earn the streak's 2 each (4 → 1+2; 5, 6 gain 2).
	r = in("m4", 7, 4)
	assert.Equal(t, int64(1+2+2+2), r.Points)
	assert.Equal(t, 6, r.Streak)
	// Day 7 itself: the seventh day in a row earns 1 + 5.
	assert.Equal(t, int64(6), in("d7", 7, 0).Points)
	// Two make-ups a month: the second is allowed, the third is not.
	in("d9", 9, 0)
	assert.Empty(t, in("m8", 10, 8).Capped)
	assert.Equal(t, loyalty.CappedMakeUp, in("m10b", 12, 11).Capped)
	// A new month starts a new calendar.
	r2, err := s.loyalty.RecordEvent(ctx, loyalty.EventRequest{ID: "j1", MemberID: m.ID, Kind: "check-in", At: at(2027, 1, 1, 8, 0)})
	require.NoError(t, err)
	assert.Equal(t, 1, r2.Streak)
	assert.Equal(t, int64(1), r2.Points)
}

// TestCheckInOrderFree reports the same set of days, as check-ins and
// make-ups, in random orders: the month always ends with the points of
// the days checked in, never of the order they arrived in.
func TestCheckInOrderFree(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 16))
	ci := &loyalty.CheckIn{Streak: []loyalty.StreakStep{{From: 2, Points: 1}, {From: 4, Points: 3}, {From: 10, Points: 3}}, MakeUpDays: 31}
	runs := 20
	if testing.Short() {
		runs = 5
	}
	var want int64 = -1
	days := rng.Perm(28)[:15]
	for run := 0; run < runs; run++ {
		s := newShop(t, func(p *loyalty.Program) {
			noPending(p)
			p.Events = []loyalty.HostEvent{{Kind: "check-in", Points: 2, CheckIn: ci}}
		})
		m := s.member(t, "Wang", customer.Birthday{})
		order := append([]int(nil), days...)
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var total int64
		for _, d := range order {
			req := loyalty.EventRequest{ID: fmt.Sprintf("c%d", d), MemberID: m.ID, Kind: "check-in",
				At: at(2026, 2, 28, 20, 0), MakeUp: loyalty.Date{Year: 2026, Month: 2, Day: d + 1}}
			if d == 27 {
				req.MakeUp = loyalty.Date{} // the 28th itself
			}
			r, err := s.loyalty.RecordEvent(context.Background(), req)
			require.NoError(t, err)
			require.GreaterOrEqual(t, r.StreakPoints, int64(0))
			total += r.Points
		}
		if want < 0 {
			want = total
		}
		require.Equal(t, want, total, "order %v", order)
		require.Equal(t, total, s.balance(t, m.ID).Available)
	}
}

func TestRecordEventConcurrentCap(t *testing.T) {
	s := newShop(t, withEvents)
	m := s.member(t, "Zhao", customer.Birthday{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	earned := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := s.loyalty.RecordEvent(context.Background(), loyalty.EventRequest{ID: fmt.Sprintf("g%d", i),
				MemberID: m.ID, Kind: "share", At: at(2026, 12, 8, 9, 0)})
			if !assert.NoError(t, err) {
				return
			}
			if r.Capped == "" {
				mu.Lock()
				earned++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 2, earned, "exactly the day's cap earns")
	assert.Equal(t, int64(10), s.balance(t, m.ID).Available)
}

func TestHostEventValidation(t *testing.T) {
	base := func() *loyalty.Program { return testProgram(t, nil) }
	cases := []struct {
		name   string
		change func(*loyalty.Program)
		field  string
	}{
		{"built-in kind", func(p *loyalty.Program) { p.Events = []loyalty.HostEvent{{Kind: loyalty.EventReview}} }, "events[0].kind"},
		{"bad kind", func(p *loyalty.Program) { p.Events = []loyalty.HostEvent{{Kind: "Check In"}} }, "events[0].kind"},
		{"duplicate kind", func(p *loyalty.Program) {
			p.Events = []loyalty.HostEvent{{Kind: "share"}, {Kind: "share"}}
		}, "events[1].kind"},
		{"period missing", func(p *loyalty.Program) { p.Events = []loyalty.HostEvent{{Kind: "share", PerPeriod: 3}} }, "events[0].period"},
		{"check-in with perDay", func(p *loyalty.Program) {
			p.Events = []loyalty.HostEvent{{Kind: "check-in", PerDay: 2, CheckIn: &loyalty.CheckIn{}}}
		}, "events[0].checkIn"},
		{"decreasing streak", func(p *loyalty.Program) {
			p.Events = []loyalty.HostEvent{{Kind: "check-in", CheckIn: &loyalty.CheckIn{Streak: []loyalty.StreakStep{{From: 3, Points: 5}, {From: 7, Points: 2}}}}}
		}, "events[0].checkIn.streak[1].points"},
		{"rule names an undefined event", func(p *loyalty.Program) {
			p.EarnRules = append(p.EarnRules, loyalty.EarnRule{ID: "x", Kind: loyalty.KindEventBonus, Event: "dance", Points: 1})
		}, "earnRules[" + fmt.Sprint(len(base().EarnRules)) + "].event"},
		{"member day zero", func(p *loyalty.Program) {
			p.EarnRules[0].When.MemberDay = loyalty.MemberDays{MonthDays: []int{0}}
		}, "earnRules[0].when.memberDay.monthDays[0]"},
		{"sixth friday", func(p *loyalty.Program) {
			p.EarnRules[0].When.MemberDay = loyalty.MemberDays{Weekdays: []loyalty.NthWeekday{{N: 6, Weekday: 5}}}
		}, "earnRules[0].when.memberDay.weekdays[0].n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := base()
			c.change(p)
			err := p.Validate()
			require.ErrorIs(t, err, loyalty.ErrInvalid)
			assert.Contains(t, fieldsOf(err), c.field)
		})
	}
}

func fieldsOf(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if fe, ok := e.(*loyalty.FieldError); ok {
			out = append(out, fe.Field)
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

func TestMemberDays(t *testing.T) {
	d := func(y int, m time.Month, day int) loyalty.Date { return loyalty.Date{Year: y, Month: m, Day: day} }
	lastFri := loyalty.MemberDays{Weekdays: []loyalty.NthWeekday{{N: -1, Weekday: loyalty.Weekday(time.Friday)}}}
	cases := []struct {
		name string
		m    loyalty.MemberDays
		day  loyalty.Date
		want bool
	}{
		{"last friday of December 2026", lastFri, d(2026, 12, 25), true},
		{"a friday that is not the last", lastFri, d(2026, 12, 18), false},
		{"last friday of a month with five", lastFri, d(2026, 1, 30), true},
		{"fourth friday when five", lastFri, d(2026, 1, 23), false},
		{"not a friday", lastFri, d(2026, 12, 31), false},
		{"first wednesday", loyalty.MemberDays{Weekdays: []loyalty.NthWeekday{{N: 1, Weekday: loyalty.Weekday(time.Wednesday)}}}, d(2026, 12, 2), true},
		{"fifth monday missing", loyalty.MemberDays{Weekdays: []loyalty.NthWeekday{{N: 5, Weekday: loyalty.Weekday(time.Monday)}}}, d(2026, 2, 23), false},
		{"the 18th", loyalty.MemberDays{MonthDays: []int{8, 18, 28}}, d(2026, 7, 18), true},
		{"the 17th", loyalty.MemberDays{MonthDays: []int{8, 18, 28}}, d(2026, 7, 17), false},
		{"last day of a leap February", loyalty.MemberDays{MonthDays: []int{-1}}, d(2028, 2, 29), true},
		{"28 Feb in a leap year is not the last", loyalty.MemberDays{MonthDays: []int{-1}}, d(2028, 2, 28), false},
		{"the 31st never in April", loyalty.MemberDays{MonthDays: []int{31}}, d(2026, 4, 30), false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.m.Contains(c.day), c.name)
	}
	next, ok := lastFri.Next(d(2026, 12, 26))
	require.True(t, ok)
	assert.Equal(t, d(2027, 1, 29), next)
	_, ok = loyalty.MemberDays{MonthDays: []int{31}}.Next(d(2026, 1, 1))
	assert.True(t, ok)
	_, ok = loyalty.MemberDays{}.Next(d(2026, 1, 1))
	assert.False(t, ok)
}

func TestMemberDayMultiplierOnPurchase(t *testing.T) {
	s := newShop(t, func(p *loyalty.Program) {
		noPending(p)
		p.EarnRules = append(p.EarnRules, loyalty.EarnRule{ID: "member-day", Kind: loyalty.KindMultiplier, Factor: dec("2"),
			Priority: 41, Group: "promo", When: loyalty.Condition{MemberDay: loyalty.MemberDays{MonthDays: []int{18}}}})
	})
	m := s.member(t, "Sun", customer.Birthday{})
	s.buy(t, "p-first", m.ID, at(2026, 6, 1, 12, 0), line("A", "snacks", 1, "100")) // takes the first-purchase bonus
	_, on := s.buy(t, "p-on", m.ID, at(2026, 6, 18, 12, 0), line("A", "snacks", 1, "100"))
	_, off := s.buy(t, "p-off", m.ID, at(2026, 6, 19, 12, 0), line("A", "snacks", 1, "100"))
	assert.Equal(t, 2*off.Quote.Total, on.Quote.Total)
}
