package referral_test

import (
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty/referral"
)

// BenchmarkFriendLifecycle is one friend's referral on the memory stores,
// as a host sends it: the binding at registration, then a small purchase,
// the qualifying purchase, a replay of it and its return, each recorded
// in the customer domain just before its call (the recording is part of
// the measure, the same in every version).
func BenchmarkFriendLifecycle(b *testing.B) {
	p := policy()
	p.MaxBoundPerPeriod, p.Period = 0, ""
	p.MaxRewarded = 0 // every friend rewarded: the same work in every iteration
	s := newShop(b, p)
	ctx := b.Context()
	s.clock.set(t0.AddDate(0, 1, 0))
	alice := s.register(b, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, err := s.refs.Code(ctx, alice.ID)
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = s.register(b, fmt.Sprint("Friend ", i), fmt.Sprint(i, " Fuxing Rd"), t0).ID
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i, id := range ids {
		if _, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: id, Code: code, At: t0}); err != nil {
			b.Fatal(err)
		}
		small, first := fmt.Sprint("s", i), fmt.Sprint("q", i)
		s.record(b, small, id, t0.AddDate(0, 0, 1), 30)
		s.record(b, first, id, t0.AddDate(0, 0, 2), 80)
		for _, p := range []string{small, first, first} {
			if _, _, err := s.refs.Qualify(ctx, p); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.refs.Return(ctx, s.returnAll(b, fmt.Sprint("r", i), first, t0.AddDate(0, 0, 3)).ID); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	// Every friend's bonuses were paid and taken back.
	last, err := s.refs.Store().GetFriend(ctx, ids[b.N-1])
	if err != nil || last.Status != referral.StatusTakenBack || last.ReferrerTakenBack != 300 || last.FriendTakenBack != 150 {
		b.Fatalf("friend ends %+v, %v", last, err)
	}
}
