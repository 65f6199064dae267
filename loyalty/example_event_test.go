package loyalty_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
)

// A programme defines a daily check-in with streak points and make-up
// days, and a share that earns twice a day, double on the last Friday of
// the month (the shop's member day).
func ExampleService_RecordEvent() {
	data, err := os.ReadFile("testdata/program.json")
	if err != nil {
		panic(err)
	}
	doc := strings.Replace(string(data), `"earnRules": [`, `"events": [
    {"kind": "check-in", "points": 1, "checkIn": {"makeUpDays": 1, "streak": [{"from": 3, "points": 2}]}},
    {"kind": "share", "points": 5, "perDay": 2}
  ],
  "earnRules": [
    {"id": "member-day-share", "kind": "event-bonus", "event": "share", "points": 5,
     "when": {"memberDay": {"weekdays": [{"n": -1, "weekday": "fri"}]}}},`, 1)
	program, err := loyalty.ParseProgram([]byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	now := func() time.Time { return at(2026, 12, 25, 20, 0) }
	customers := customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: now, Location: shanghai,
		NewID: func() string { return "m1" }})
	points, err := loyalty.NewService(program, loyalty.NewMemoryStore(), customers, &loyalty.Options{Clock: now})
	if err != nil {
		panic(err)
	}
	member, _ := customers.Register(context.Background(), customer.Registration{Profile: customer.Profile{Name: "Wang Fang"}})
	report := func(r loyalty.EventRequest) {
		r.MemberID = member.ID
		res, err := points.RecordEvent(context.Background(), r)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-9s %-3s points %2d streak %d %s", r.Kind, r.ID, res.Points, res.Streak, res.Capped)))
	}
	report(loyalty.EventRequest{ID: "c23", Kind: "check-in", At: at(2026, 12, 23, 8, 0)})
	report(loyalty.EventRequest{ID: "c25", Kind: "check-in", At: at(2026, 12, 25, 8, 0)})
	report(loyalty.EventRequest{ID: "m24", Kind: "check-in", At: at(2026, 12, 25, 9, 0), MakeUp: loyalty.Date{Year: 2026, Month: 12, Day: 24}})
	report(loyalty.EventRequest{ID: "s1", Kind: "share", At: at(2026, 12, 25, 12, 0)})
	report(loyalty.EventRequest{ID: "s2", Kind: "share", At: at(2026, 12, 25, 13, 0)})
	report(loyalty.EventRequest{ID: "s3", Kind: "share", At: at(2026, 12, 25, 14, 0)})
	report(loyalty.EventRequest{ID: "s1", Kind: "share", At: at(2026, 12, 25, 12, 0)}) // a retry
	// Output:
	// check-in  c23 points  1 streak 1
	// check-in  c25 points  1 streak 1
	// check-in  m24 points  3 streak 3
	// share     s1  points 10 streak 0
	// share     s2  points 10 streak 0
	// share     s3  points  0 streak 0 day
	// share     s1  points 10 streak 0
}
