package membershiptest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/membership"
)

// What the kit checks, by hand on the memory store: a replace of a term
// the member does not have is refused and writes nothing. An adapter's
// test runs the whole kit with membershiptest.Run(t, newStore).
func Example() {
	ctx := context.Background()
	s := membership.NewMemoryStore()
	fmt.Println(s.Save(ctx, membership.Write{Card: membership.Card{MemberID: "m1", Version: 1, Latest: "pay-1"},
		Term: membership.Term{ID: "pay-1", PlanID: "gold", Currency: "CNY", FeeMinor: 36500}}))
	err := s.Save(ctx, membership.Write{Card: membership.Card{MemberID: "m1", Version: 2}, Term: membership.Term{ID: "pay-9"}, Replace: true})
	fmt.Println(errors.Is(err, membership.ErrNotFound))
	c, _ := s.GetCard(ctx, "m1")
	fmt.Println(c.Version, c.Latest)
	// Output:
	// <nil>
	// true
	// 1 pay-1
}
