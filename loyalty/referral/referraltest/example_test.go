package referraltest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/loyalty/referral"
)

// What the kit checks, by hand on the memory store: a friend is referred
// once; another referrer's insert of the same friend is refused and
// writes nothing. An adapter's test runs the whole kit with
// referraltest.Run(t, newStore).
func Example() {
	ctx := context.Background()
	s := referral.NewMemoryStore()
	for _, id := range []string{"r1", "r2"} {
		_ = s.Save(ctx, referral.Write{Referrer: referral.Referrer{MemberID: id, Version: 1, Code: "CODE-" + id}})
	}
	f := referral.Friend{FriendID: "f1", ReferrerID: "r1", Status: referral.StatusBound}
	fmt.Println(s.Save(ctx, referral.Write{Referrer: referral.Referrer{MemberID: "r1", Version: 2, Code: "CODE-r1", Bound: 1}, Friend: &f}))
	g := referral.Friend{FriendID: "f1", ReferrerID: "r2", Status: referral.StatusBound}
	err := s.Save(ctx, referral.Write{Referrer: referral.Referrer{MemberID: "r2", Version: 2, Code: "CODE-r2", Bound: 1}, Friend: &g})
	fmt.Println(errors.Is(err, referral.ErrAlreadyExists))
	got, _ := s.GetFriend(ctx, "f1")
	fmt.Println(got.ReferrerID)
	// Output:
	// <nil>
	// true
	// r1
}
