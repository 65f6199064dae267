package referral_test

import (
	"context"
	"fmt"
	"iter"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// record records a one-line purchase without earning it.
func (s *shop) record(t testing.TB, id, member string, at time.Time, amount int64) {
	t.Helper()
	a := decimal.NewFromInt(amount)
	_, err := s.customers.RecordPurchase(t.Context(), customer.Purchase{ID: id, CustomerID: member, Store: "S1", Channel: customer.ChannelInStore,
		Time: at, Currency: "CNY", Lines: []customer.Line{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: a, Total: a}}})
	require.NoError(t, err)
}

// capped is a shop where Alice referred Bob and Carol, with one rewarded
// referral allowed.
func capped(t *testing.T) (s *shop, alice, bob, carol customer.Customer) {
	p := policy()
	p.MaxRewarded = 1
	s = newShop(t, p)
	s.clock.set(t0.AddDate(0, 1, 0))
	alice = s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, err := s.refs.Code(t.Context(), alice.ID)
	require.NoError(t, err)
	bob = s.register(t, "Bob", "9 Huaihai Rd", t0)
	carol = s.register(t, "Carol", "3 Fuxing Rd", t0)
	for _, f := range []customer.Customer{bob, carol} {
		_, err := s.refs.Bind(t.Context(), referral.BindRequest{FriendID: f.ID, Code: code, At: t0})
		require.NoError(t, err)
	}
	return s, alice, bob, carol
}

func (s *shop) friend(t *testing.T, id string) referral.Friend {
	t.Helper()
	f, err := s.refs.Store().GetFriend(t.Context(), id)
	require.NoError(t, err)
	return f
}

// The slot goes to the friend whose qualifying purchase came first, not
// to the first to arrive: Bob's earlier purchase, arriving after Carol
// was paid, takes the slot, and Carol's bonuses are taken back, dated as
// they were paid, once whatever the replays.
func TestEarlierFriendTakesTheSlot(t *testing.T) {
	s, alice, bob, carol := capped(t)
	ctx := t.Context()
	s.record(t, "p-carol", carol.ID, t0.AddDate(0, 0, 2), 80)
	s.record(t, "p-bob", bob.ID, t0.AddDate(0, 0, 1), 80)
	_, ok, err := s.refs.Qualify(ctx, "p-carol")
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, int64(150), s.available(t, carol.ID))
	for range 2 {
		for _, p := range []string{"p-bob", "p-carol"} {
			_, _, err = s.refs.Qualify(ctx, p)
			require.NoError(t, err)
		}
	}
	b, c := s.friend(t, bob.ID), s.friend(t, carol.ID)
	assert.Equal(t, referral.StatusRewarded, b.Status)
	assert.Equal(t, referral.StatusOverLimit, c.Status)
	assert.Equal(t, int64(300), c.ReferrerTakenBack)
	assert.Equal(t, int64(150), c.FriendTakenBack)
	assert.True(t, c.TakenBackAt.Equal(c.RewardedAt), "the takeback is dated as the bonuses it reverses")
	assert.True(t, c.RewardedAt.Equal(t0.AddDate(0, 0, 2)), "the bonuses are dated by the purchase")
	assert.Equal(t, int64(300), s.available(t, alice.ID), "one referral rewarded")
	assert.Equal(t, int64(150), s.available(t, bob.ID))
	assert.Equal(t, int64(0), s.available(t, carol.ID))
	h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), h.Rewarded)
	require.Len(t, h.Slots, 1)
	assert.Equal(t, bob.ID, h.Slots[0].FriendID)
	assert.Empty(t, h.Displaced)
	// Carol's return changes nothing now: she holds no slot.
	_, err = s.refs.Return(ctx, s.returnAll(t, "r-carol", "p-carol", t0.AddDate(0, 0, 3)).ID)
	require.NoError(t, err)
	assert.Equal(t, int64(300), s.available(t, alice.ID))
	assert.Equal(t, referral.StatusOverLimit, s.friend(t, carol.ID).Status)
}

// A friend keeps its slot when its purchase is returned (the bonuses are
// taken back, the place is not handed on); losing the slot later takes
// nothing more; an earlier purchase of its own brings it back, undoing
// the takeback, and pushes the other friend out.
func TestSlotsFollowTheQualifyingPurchases(t *testing.T) {
	s, alice, bob, carol := capped(t)
	ctx := t.Context()
	s.record(t, "p-carol-2", carol.ID, t0.AddDate(0, 0, 3), 80)
	_, _, err := s.refs.Qualify(ctx, "p-carol-2")
	require.NoError(t, err)
	_, err = s.refs.Return(ctx, s.returnAll(t, "r-carol-2", "p-carol-2", t0.AddDate(0, 0, 4)).ID)
	require.NoError(t, err)
	assert.Equal(t, referral.StatusTakenBack, s.friend(t, carol.ID).Status)
	s.record(t, "p-bob", bob.ID, t0.AddDate(0, 0, 5), 80)
	_, ok, err := s.refs.Qualify(ctx, "p-bob")
	require.NoError(t, err)
	assert.False(t, ok, "Carol's purchase came first: her slot, though returned")
	assert.Equal(t, int64(0), s.available(t, alice.ID))

	s.record(t, "p-bob-0", bob.ID, t0.AddDate(0, 0, 2), 80)
	_, ok, err = s.refs.Qualify(ctx, "p-bob-0")
	require.NoError(t, err)
	assert.True(t, ok, "Bob's earlier purchase takes the slot")
	c := s.friend(t, carol.ID)
	assert.Equal(t, referral.StatusOverLimit, c.Status)
	assert.Equal(t, int64(0), s.available(t, carol.ID), "taken back once, by the return")
	assert.Equal(t, int64(300), s.available(t, alice.ID))

	s.record(t, "p-carol-1", carol.ID, t0.AddDate(0, 0, 1), 60)
	_, ok, err = s.refs.Qualify(ctx, "p-carol-1")
	require.NoError(t, err)
	assert.True(t, ok, "Carol's own earlier purchase brings her back")
	c, b := s.friend(t, carol.ID), s.friend(t, bob.ID)
	assert.Equal(t, referral.StatusRewarded, c.Status)
	assert.Equal(t, int64(1), c.Restores)
	assert.Equal(t, referral.StatusOverLimit, b.Status)
	assert.Equal(t, int64(150), s.available(t, carol.ID), "the takeback undone")
	assert.Equal(t, int64(0), s.available(t, bob.ID))
	assert.Equal(t, int64(300), s.available(t, alice.ID))
	h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(1), h.Rewarded)
}

// A crash after the slot changed hands, before the displaced friend's
// bonuses were taken back, is completed by the next call on the
// referrer, whichever it is, and never takes twice.
func TestInterruptedDisplacementCompletes(t *testing.T) {
	s, alice, bob, carol := capped(t)
	ctx := t.Context()
	pts := &flaky{Service: s.points}
	refs, err := referral.NewService(s.refs.Store(), s.customers, pts, func() referral.Policy { p := policy(); p.MaxRewarded = 1; return p }(), nil)
	require.NoError(t, err)
	s.refs = refs
	s.record(t, "p-carol", carol.ID, t0.AddDate(0, 0, 2), 80)
	s.record(t, "p-bob", bob.ID, t0.AddDate(0, 0, 1), 80)
	_, _, err = s.refs.Qualify(ctx, "p-carol")
	require.NoError(t, err)
	pts.failAdjust = 1
	_, _, err = s.refs.Qualify(ctx, "p-bob")
	require.ErrorIs(t, err, errCrash)
	h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{carol.ID}, h.Displaced, "the header names the friend still to change")
	// The next call on the referrer is a friend's binding.
	code, err := s.refs.Code(ctx, alice.ID)
	require.NoError(t, err)
	dan := s.register(t, "Dan", "5 Wulumuqi Rd", t0)
	_, err = s.refs.Bind(ctx, referral.BindRequest{FriendID: dan.ID, Code: code, At: t0})
	require.NoError(t, err)
	for _, p := range []string{"p-carol", "p-bob"} { // the host's retries change nothing more
		_, _, err = s.refs.Qualify(ctx, p)
		require.NoError(t, err)
	}
	h, err = s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	assert.Empty(t, h.Displaced)
	assert.Equal(t, referral.StatusOverLimit, s.friend(t, carol.ID).Status)
	assert.Equal(t, int64(300), s.available(t, alice.ID))
	assert.Equal(t, int64(0), s.available(t, carol.ID))
	assert.Equal(t, int64(150), s.available(t, bob.ID))
}

// countingStore counts the purchases the customer store yields.
type countingStore struct {
	customer.Store
	read *atomic.Int64
}

func (c countingStore) PurchasesOf(ctx context.Context, id string) iter.Seq2[customer.Purchase, error] {
	return func(yield func(customer.Purchase, error) bool) {
		for p, err := range c.Store.PurchasesOf(ctx, id) {
			c.read.Add(1)
			if !yield(p, err) {
				return
			}
		}
	}
}

type countingCustomers struct {
	*customer.Service
	read *atomic.Int64
}

func (c countingCustomers) Store() customer.Store {
	return countingStore{Store: c.Service.Store(), read: c.read}
}

// A binding that reaches the service after the friend's purchases and
// returns finds them in the customer facts: the first qualifying purchase
// since binding, and its returns. It reads the purchases made since
// binding and one more, not the history before.
func TestBindFindsTheRecordedFacts(t *testing.T) {
	s := newShop(t, policy())
	ctx := t.Context()
	read := &atomic.Int64{}
	refs, err := referral.NewService(referral.NewMemoryStore(), countingCustomers{Service: s.customers, read: read}, s.points, policy(), nil)
	require.NoError(t, err)
	s.refs = refs
	s.clock.set(t0.AddDate(0, 1, 0))
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, err := s.refs.Code(ctx, alice.ID)
	require.NoError(t, err)
	bob := s.register(t, "Bob", "9 Huaihai Rd", t0)
	for i := range 40 { // guest purchases before joining, linked to the member
		s.record(t, fmt.Sprintf("old-%02d", i), bob.ID, t0.AddDate(0, 0, -40+i), 100)
	}
	s.record(t, "p-small", bob.ID, t0.Add(time.Hour), 30)
	s.record(t, "p-late", bob.ID, t0.AddDate(0, 0, 2), 80)
	s.record(t, "p-first", bob.ID, t0.AddDate(0, 0, 1), 60)
	r := s.returnAll(t, "r-first", "p-first", t0.AddDate(0, 0, 3))
	// Sent before the binding: nobody had referred Bob, nothing happens.
	for _, p := range []string{"p-late", "p-first", "p-small"} {
		f, _, err := s.refs.Qualify(ctx, p)
		require.NoError(t, err)
		assert.Empty(t, f.FriendID)
	}
	_, err = s.refs.Return(ctx, r.ID)
	require.NoError(t, err)

	read.Store(0)
	f, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: bob.ID, Code: code, At: t0})
	require.NoError(t, err)
	assert.Equal(t, "p-first", f.Purchase)
	assert.Equal(t, []string{"r-first"}, f.Returns)
	assert.Equal(t, referral.StatusTakenBack, f.Status)
	assert.True(t, f.TakenBackAt.Equal(t0.AddDate(0, 0, 3)), "dated by the return")
	assert.True(t, f.RewardedAt.Equal(t0.AddDate(0, 0, 1)), "dated by the purchase")
	assert.Equal(t, int64(4), read.Load(), "three purchases since binding and the one before it")
	assert.Equal(t, int64(0), s.available(t, alice.ID))
	// A replay of the binding changes nothing.
	again, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: bob.ID, Code: code, At: t0})
	require.NoError(t, err)
	assert.Equal(t, f, again)
}

// A referrer rewarded before slots were kept (or while the policy had no
// MaxRewarded) gets its slots from its friends' records before the next
// decision: the cap counts the friends already rewarded.
func TestRewardedBeforeSlotsCount(t *testing.T) {
	uncapped := policy()
	uncapped.MaxRewarded = 0
	s := newShop(t, uncapped)
	ctx := t.Context()
	s.clock.set(t0.AddDate(0, 1, 0))
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, _ := s.refs.Code(ctx, alice.ID)
	bob := s.register(t, "Bob", "9 Huaihai Rd", t0)
	carol := s.register(t, "Carol", "3 Fuxing Rd", t0)
	for _, f := range []customer.Customer{bob, carol} {
		_, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: f.ID, Code: code, At: t0})
		require.NoError(t, err)
	}
	s.record(t, "p-bob", bob.ID, t0.AddDate(0, 0, 2), 80)
	_, _, err := s.refs.Qualify(ctx, "p-bob")
	require.NoError(t, err)
	h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	require.Empty(t, h.Slots, "no cap, no slots")

	limited := policy()
	limited.MaxRewarded = 1
	s.refs, err = referral.NewService(s.refs.Store(), s.customers, s.points, limited, nil)
	require.NoError(t, err)
	s.record(t, "p-carol", carol.ID, t0.AddDate(0, 0, 3), 80)
	_, ok, err := s.refs.Qualify(ctx, "p-carol")
	require.NoError(t, err)
	assert.False(t, ok, "Bob holds the one slot")
	assert.Equal(t, referral.StatusOverLimit, s.friend(t, carol.ID).Status)
	assert.Equal(t, referral.StatusRewarded, s.friend(t, bob.ID).Status)
	h, err = s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	require.Len(t, h.Slots, 1)
	assert.Equal(t, bob.ID, h.Slots[0].FriendID)
}

// Friends qualifying concurrently (each purchase sent twice) end as if
// their purchases had arrived in time order: the first MaxRewarded by
// purchase time hold the slots and keep their bonuses, the others are
// over the limit with nothing left, and the referrer has the bonuses of
// the slots only.
func TestConcurrentFriendsTakeTheSlotsInTimeOrder(t *testing.T) {
	const friends, max = 6, 2
	p := policy()
	p.MaxRewarded, p.MaxBoundPerPeriod = max, friends
	s := newShop(t, p)
	ctx := t.Context()
	s.clock.set(t0.AddDate(0, 1, 0))
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, _ := s.refs.Code(ctx, alice.ID)
	ids := make([]string, friends)
	for i := range friends {
		f := s.register(t, fmt.Sprint("Friend ", i), fmt.Sprint(i, " Fuxing Rd"), t0)
		ids[i] = f.ID
		_, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: f.ID, Code: code, At: t0})
		require.NoError(t, err)
		// Friend i bought on day friends-i: the last bound bought first.
		s.record(t, fmt.Sprint("p", i), f.ID, t0.AddDate(0, 0, friends-i), 80)
	}
	errs := make(chan error, 2*friends)
	for i := range 2 * friends {
		go func() {
			_, _, err := s.refs.Qualify(ctx, fmt.Sprint("p", i%friends))
			errs <- err
		}()
	}
	for range 2 * friends {
		require.NoError(t, <-errs)
	}
	for i, id := range ids {
		f := s.friend(t, id)
		if i >= friends-max {
			assert.Equal(t, referral.StatusRewarded, f.Status, "friend %d", i)
			assert.Equal(t, int64(150), s.available(t, id), "friend %d", i)
		} else {
			assert.Equal(t, referral.StatusOverLimit, f.Status, "friend %d", i)
			assert.Equal(t, int64(0), availableOrNone(t, s, id), "friend %d", i)
		}
	}
	assert.Equal(t, int64(max*300), s.available(t, alice.ID))
	h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(max), h.Rewarded)
	assert.Empty(t, h.Displaced)
}
