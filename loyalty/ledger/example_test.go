package ledger_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

var noTime time.Time

func date(m time.Month, d int) time.Time { return time.Date(2026, m, d, 12, 0, 0, 0, time.UTC) }

// must keeps the examples short: it panics on an error the example does
// not expect.
func must(a ledger.Account, entries []ledger.Entry, err error) (ledger.Account, []ledger.Entry) {
	if err != nil {
		panic(err)
	}
	return a, entries
}

func Example() {
	acct, _ := ledger.New("member-1001")
	// A purchase earns 120 points, pending for its 14-day return window,
	// expiring at the end of the year.
	acct, _ = must(acct.Earn("lot-1", 120, date(3, 1), date(3, 15), date(12, 31), "order-77"))
	acct, _ = must(acct.Earn("lot-2", 50, date(3, 2), noTime, date(6, 30), "order-78"))
	fmt.Println("available", acct.Available(date(3, 2)), "pending", acct.Pending(date(3, 2)))

	acct, _ = must(acct.ReleaseDue(date(3, 15)))
	acct, entries := must(acct.Redeem("redeem-9", 80, date(3, 20)))
	for _, d := range entries[0].Draws {
		fmt.Println("drew", -d.Points, "from", d.LotID)
	}
	fmt.Println("available", acct.Available(date(3, 20)))

	_, _, err := acct.Redeem("redeem-10", 500, date(3, 21))
	var short *ledger.InsufficientPointsError
	if errors.As(err, &short) {
		fmt.Println("cannot redeem", short.Requested, "of", short.Available)
	}
	// Output:
	// available 50 pending 120
	// drew 50 from lot-2
	// drew 30 from lot-1
	// available 90
	// cannot redeem 500 of 90
}

func ExampleAccount_Hold() {
	acct, _ := ledger.New("member-1002")
	acct, _ = must(acct.Earn("lot-1", 100, date(4, 1), noTime, noTime, "order-1"))

	// At checkout the lane reserves 80 points; another lane cannot spend them.
	acct, _ = must(acct.Hold("checkout-5", 80, date(4, 2)))
	_, _, err := acct.Redeem("checkout-6", 30, date(4, 2))
	fmt.Println(errors.Is(err, ledger.ErrInsufficientPoints))

	// Payment went through: the hold is committed, exactly once.
	acct, _ = must(acct.CommitHold("checkout-5", date(4, 2)))
	_, again, _ := acct.CommitHold("checkout-5", date(4, 2))
	_, _, err = acct.ReleaseHold("checkout-5", date(4, 2))
	fmt.Println(len(again), errors.Is(err, ledger.ErrHoldClosed), acct.Available(date(4, 2)))
	// Output:
	// true
	// 0 true 20
}

func ExampleAccount_ClawBack() {
	for _, policy := range []ledger.ClawbackPolicy{ledger.OnlyPending, ledger.WithinBalance, ledger.AllowDebt} {
		acct, _ := ledger.New("member-1003")
		acct, _ = must(acct.Earn("lot-1", 100, date(5, 1), noTime, noTime, "order-1"))
		acct, _ = must(acct.Redeem("redeem-1", 70, date(5, 2)))
		// order-1 is returned: it earned 100 points, 70 of them already spent.
		acct, _ = must(acct.ClawBack("return-1", "order-1", 100, date(5, 3), policy))
		fmt.Printf("%-14s available %d, debt %d\n", policy, acct.Available(date(5, 3)), acct.Debt())
	}
	// Output:
	// only-pending   available 30, debt 0
	// within-balance available 0, debt 0
	// allow-debt     available 0, debt 70
}

func ExampleAccount_RefundRedemption() {
	acct, _ := ledger.New("member-1004")
	acct, _ = must(acct.Earn("spring", 40, date(3, 1), noTime, date(4, 30), "order-1"))
	acct, _ = must(acct.Earn("summer", 40, date(6, 1), noTime, date(9, 30), "order-2"))
	acct, _ = must(acct.Redeem("redeem-1", 60, date(4, 15)))

	// The order paid with points is returned after "spring" expired: the
	// points go back to their own lots, and spring's expire again at once.
	acct, entries := must(acct.RefundRedemption("refund-1", "redeem-1", 60, date(5, 10)))
	for _, e := range entries {
		fmt.Println(e.Kind, e.Points, e.Draws)
	}
	fmt.Println("available", acct.Available(date(5, 10)))
	// Output:
	// refund-of-redemption 60 [{summer 20 0 0} {spring 40 0 0}]
	// expire -40 [{spring -40 0 0}]
	// available 40
}

func ExampleStatement() {
	acct, _ := ledger.New("member-1005")
	var history []ledger.Entry
	record := func(a ledger.Account, entries []ledger.Entry, err error) {
		acct, entries = must(a, entries, err)
		history = append(history, entries...)
	}
	record(acct.Earn("lot-1", 100, date(1, 5), noTime, date(1, 31), "order-1"))
	record(acct.Adjust("goodwill-1", 25, date(1, 9), noTime, "late delivery", "agent-3"))
	record(acct.Redeem("redeem-1", 60, date(1, 20)))
	record(acct.Expire(date(2, 1)))
	for _, l := range ledger.Statement(history) {
		fmt.Printf("%s %-7s %4d  balance %d\n", l.Time.Format("01-02"), l.Kind, l.Points, l.Available)
	}
	fmt.Println(ledger.CheckInvariants(acct, history))
	// Output:
	// 01-05 earn     100  balance 100
	// 01-09 adjust    25  balance 125
	// 01-20 redeem   -60  balance 65
	// 02-01 expire   -40  balance 25
	// <nil>
}
