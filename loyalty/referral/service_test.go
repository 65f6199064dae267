package referral_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

type shop struct {
	clock     *clock
	customers *customer.Service
	points    *loyalty.Service
	refs      *referral.Service
	n         int
}

func policy() referral.Policy {
	return referral.Policy{Currency: "CNY", MinAmount: decimal.RequireFromString("50"), BindWithinDays: 1,
		QualifyWithinDays: 30, ReturnWindowDays: 7, MaxRewarded: 3, MaxBoundPerPeriod: 4, Period: loyalty.PeriodMonth}
}

func newShop(t testing.TB, p referral.Policy) *shop {
	data, err := os.ReadFile("../testdata/program.json")
	require.NoError(t, err)
	program, err := loyalty.ParseProgram(data)
	require.NoError(t, err)
	s := &shop{clock: &clock{t: t0}}
	ids := 0
	var mu sync.Mutex
	s.customers = customer.NewService(customer.NewMemoryStore(), &customer.Options{Clock: s.clock.now,
		NewID: func() string { mu.Lock(); defer mu.Unlock(); ids++; return fmt.Sprintf("c%03d", ids) }})
	s.points, err = loyalty.NewService(program, loyalty.NewMemoryStore(), s.customers, &loyalty.Options{Clock: s.clock.now})
	require.NoError(t, err)
	s.refs, err = referral.NewService(referral.NewMemoryStore(), s.customers, s.points, p, nil)
	require.NoError(t, err)
	return s
}

func (s *shop) register(t testing.TB, name, street string, joined time.Time) customer.Customer {
	t.Helper()
	s.n++
	c, err := s.customers.Register(t.Context(), customer.Registration{Force: true, JoinedAt: joined,
		Profile: customer.Profile{Name: name, Address: customer.Address{City: "Shanghai", Street: street}},
		Phone:   fmt.Sprintf("+8613800%06d", s.n)})
	require.NoError(t, err)
	return c
}

func (s *shop) buy(t *testing.T, id, member string, at time.Time, amount string) customer.Purchase {
	t.Helper()
	a := decimal.RequireFromString(amount)
	p, err := s.customers.RecordPurchase(t.Context(), customer.Purchase{ID: id, CustomerID: member, Store: "S1", Channel: customer.ChannelInStore, Time: at,
		Currency: "CNY", Lines: []customer.Line{{SKU: "TEA", Quantity: decimal.NewFromInt(1), UnitPrice: a, Total: a}}})
	require.NoError(t, err)
	s.clock.set(at)
	_, err = s.points.Earn(t.Context(), p)
	require.NoError(t, err)
	return p
}

// returnAll records the return of a one-line purchase, whole.
func (s *shop) returnAll(t testing.TB, id, purchase string, at time.Time) customer.Return {
	t.Helper()
	p, err := s.customers.Purchase(t.Context(), purchase)
	require.NoError(t, err)
	r, err := s.customers.RecordReturn(t.Context(), customer.Return{ID: id, PurchaseID: purchase, Store: "S1", Time: at,
		Currency: "CNY", Refund: p.Total(), Lines: []customer.ReturnLine{{Line: 1, Quantity: p.Lines[0].Quantity}}})
	require.NoError(t, err)
	return r
}

// rewardedReferral is a shop where Alice referred Bob, whose 100 CNY
// purchase p1 rewarded both.
func rewardedReferral(t *testing.T) (*shop, customer.Customer) {
	s := newShop(t, policy())
	ctx := t.Context()
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, _ := s.refs.Code(ctx, alice.ID)
	bob := s.register(t, "Bob", "9 Huaihai Rd", t0)
	_, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: bob.ID, Code: code, At: t0})
	require.NoError(t, err)
	_, _, err = s.refs.Qualify(ctx, s.buy(t, "p1", bob.ID, t0.AddDate(0, 0, 1), "100").ID)
	require.NoError(t, err)
	return s, alice
}

func (s *shop) available(t *testing.T, member string) int64 {
	t.Helper()
	b, err := s.points.Balance(t.Context(), member)
	require.NoError(t, err)
	return b.Available
}

func TestReferralRewardAndTakeBack(t *testing.T) {
	s := newShop(t, policy())
	ctx := t.Context()
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(0, -6, 0))
	code, err := s.refs.Code(ctx, alice.ID)
	require.NoError(t, err)
	again, err := s.refs.Code(ctx, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, code, again, "one code per member")

	bob := s.register(t, "Bob", "9 Huaihai Rd", t0)
	typed := strings.ToLower(code[:4] + "-" + code[4:]) // as a customer types it
	f, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: bob.ID, Code: typed, At: t0.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, alice.ID, f.ReferrerID)
	_, err = s.refs.Bind(ctx, referral.BindRequest{FriendID: bob.ID, Code: code, At: t0.Add(2 * time.Hour)})
	require.NoError(t, err, "binding again to the same referrer is a replay")

	// A small purchase does not qualify; the next one does, once.
	_, ok, err := s.refs.Qualify(ctx, s.buy(t, "p1", bob.ID, t0.AddDate(0, 0, 1), "30").ID)
	require.NoError(t, err)
	assert.False(t, ok)
	p2 := s.buy(t, "p2", bob.ID, t0.AddDate(0, 0, 2), "80")
	f, ok, err = s.refs.Qualify(ctx, p2.ID)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, referral.StatusRewarded, f.Status)
	assert.Equal(t, int64(300), f.ReferrerPoints)
	assert.Equal(t, int64(150), f.FriendPoints)
	_, ok, err = s.refs.Qualify(ctx, p2.ID)
	require.NoError(t, err)
	assert.True(t, ok, "a replay reports the same purchase")
	_, ok, err = s.refs.Qualify(ctx, s.buy(t, "p3", bob.ID, t0.AddDate(0, 0, 3), "90").ID)
	require.NoError(t, err)
	assert.False(t, ok, "only the first qualifying purchase")
	assert.Equal(t, int64(300), s.available(t, alice.ID))
	assert.Equal(t, int64(150), s.available(t, bob.ID), "the friend's purchase points are still pending")

	// Bob returns p2 within the window: both bonuses come back.
	r := s.returnAll(t, "r1", "p2", t0.AddDate(0, 0, 4))
	f, err = s.refs.Return(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, referral.StatusTakenBack, f.Status)
	assert.Equal(t, int64(300), f.ReferrerTakenBack)
	assert.Equal(t, int64(0), s.available(t, alice.ID))
	assert.Equal(t, int64(0), s.available(t, bob.ID))
	_, err = s.refs.Return(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(0), s.available(t, alice.ID), "a replay takes nothing more")
	h, err := s.refs.Store().GetReferrer(ctx, alice.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(0), h.Rewarded)
	assert.Equal(t, int64(1), h.Bound)
}

// A referrer who spent the bonus keeps what cannot be taken back: the
// shortfall is recorded, the balance never goes negative.
func TestTakeBackWithinBalance(t *testing.T) {
	s, alice := rewardedReferral(t)
	ctx := t.Context()
	_, err := s.points.Adjust(ctx, loyalty.AdjustRequest{ID: "spend", MemberID: alice.ID, Points: -200, Reason: "spent", Actor: "till", At: t0.AddDate(0, 0, 2)})
	require.NoError(t, err)
	f, err := s.refs.Return(ctx, s.returnAll(t, "r1", "p1", t0.AddDate(0, 0, 3)).ID)
	require.NoError(t, err)
	assert.Equal(t, int64(100), f.ReferrerTakenBack)
	assert.Equal(t, int64(200), f.ReferrerShortfall)
	assert.Equal(t, int64(0), s.available(t, alice.ID))
}

func TestReturnOutsideTheWindowKeepsTheReward(t *testing.T) {
	s, alice := rewardedReferral(t)
	ctx := t.Context()
	f, err := s.refs.Return(ctx, s.returnAll(t, "r1", "p1", t0.AddDate(0, 0, 10)).ID)
	require.NoError(t, err)
	assert.Equal(t, referral.StatusRewarded, f.Status)
	assert.Equal(t, int64(300), s.available(t, alice.ID))
}

func TestBindRefusals(t *testing.T) {
	s := newShop(t, policy())
	ctx := t.Context()
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, err := s.refs.Code(ctx, alice.ID)
	require.NoError(t, err)
	bad := code[:8] + string("0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"[(strings.IndexByte("0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U", code[8])+1)%37])
	house := s.register(t, "Carol", "1 nanjing rd", t0) // Alice's address, typed another way
	old := s.register(t, "Dan", "3 Fuxing Rd", t0.AddDate(0, 0, -5))
	cases := []struct {
		name string
		req  referral.BindRequest
		want error
	}{
		{"self", referral.BindRequest{FriendID: alice.ID, Code: code, At: t0}, referral.ErrSelfReferral},
		{"same address", referral.BindRequest{FriendID: house.ID, Code: code, At: t0}, referral.ErrSelfReferral},
		{"wrong check symbol", referral.BindRequest{FriendID: house.ID, Code: bad, At: t0}, referral.ErrUnknownCode},
		{"nobody's code", referral.BindRequest{FriendID: house.ID, Code: "00000000" + "0", At: t0}, referral.ErrUnknownCode},
		{"joined too long ago", referral.BindRequest{FriendID: old.ID, Code: code, At: t0}, referral.ErrNotNew},
	}
	for _, c := range cases {
		_, err := s.refs.Bind(ctx, c.req)
		assert.ErrorIs(t, err, c.want, c.name)
		if err != nil {
			assert.NotContains(t, err.Error(), code, "codes never appear in errors")
			assert.NotContains(t, err.Error(), "Nanjing", "nor addresses")
		}
	}
	// The same address is allowed when the policy says households may refer.
	p := policy()
	p.AllowSameAddress = true
	s2 := newShop(t, p)
	a2 := s2.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	c2, _ := s2.refs.Code(ctx, a2.ID)
	h2 := s2.register(t, "Carol", "1 Nanjing Rd", t0)
	_, err = s2.refs.Bind(ctx, referral.BindRequest{FriendID: h2.ID, Code: c2, At: t0})
	assert.NoError(t, err)
	// Referred once: another referrer's code is refused.
	b2 := s2.register(t, "Bea", "5 Xizang Rd", t0.AddDate(-1, 0, 0))
	cb, _ := s2.refs.Code(ctx, b2.ID)
	_, err = s2.refs.Bind(ctx, referral.BindRequest{FriendID: h2.ID, Code: cb, At: t0})
	assert.ErrorIs(t, err, referral.ErrAlreadyBound)
}

func TestLimits(t *testing.T) {
	p := policy()
	p.MaxBoundPerPeriod, p.MaxRewarded = 2, 1
	s := newShop(t, p)
	ctx := t.Context()
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, _ := s.refs.Code(ctx, alice.ID)
	var friends []customer.Customer
	for i, day := range []int{0, 1, 2} {
		f := s.register(t, fmt.Sprint("Friend ", i), fmt.Sprint(i, " Fuxing Rd"), t0.AddDate(0, 0, day))
		friends = append(friends, f)
		_, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: f.ID, Code: code, At: t0.AddDate(0, 0, day)})
		if i < 2 {
			require.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, referral.ErrLimit, "two a month")
		}
	}
	next := s.register(t, "January", "7 Fuxing Rd", t0.AddDate(0, 1, 0))
	_, err := s.refs.Bind(ctx, referral.BindRequest{FriendID: next.ID, Code: code, At: t0.AddDate(0, 1, 0)})
	assert.NoError(t, err, "a new month, a new allowance")
	// One rewarded referral: the second qualifying friend earns nothing.
	_, ok, err := s.refs.Qualify(ctx, s.buy(t, "a", friends[0].ID, t0.AddDate(0, 0, 3), "60").ID)
	require.NoError(t, err)
	assert.True(t, ok)
	f, ok, err := s.refs.Qualify(ctx, s.buy(t, "b", friends[1].ID, t0.AddDate(0, 0, 4), "60").ID)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, referral.StatusOverLimit, f.Status)
	assert.Equal(t, int64(300), s.available(t, alice.ID))
}

// Concurrent binds of many friends to one referrer: the period limit
// holds exactly.
func TestConcurrentBindsKeepTheLimit(t *testing.T) {
	p := policy()
	p.MaxBoundPerPeriod = 5
	s := newShop(t, p)
	alice := s.register(t, "Alice", "1 Nanjing Rd", t0.AddDate(-1, 0, 0))
	code, _ := s.refs.Code(t.Context(), alice.ID)
	var ids []string
	for i := range 12 {
		ids = append(ids, s.register(t, fmt.Sprint("F", i), fmt.Sprint(i, " Fuxing Rd"), t0).ID)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, id := range ids {
		wg.Go(func() {
			_, err := s.refs.Bind(context.Background(), referral.BindRequest{FriendID: id, Code: code, At: t0})
			if err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			} else {
				assert.ErrorIs(t, err, referral.ErrLimit)
			}
		})
	}
	wg.Wait()
	assert.Equal(t, 5, ok)
}

// Codes drawn from a source that repeats itself are still unique: a
// taken code is drawn again.
func TestCodesAreUnique(t *testing.T) {
	p := policy()
	s := newShop(t, p)
	var err error
	src := bytes.NewReader(append(bytes.Repeat([]byte{7}, 16), bytes.Repeat([]byte{9}, 8)...))
	s.refs, err = referral.NewService(referral.NewMemoryStore(), s.customers, s.points, p, &referral.Options{Rand: src})
	require.NoError(t, err)
	a, err := s.refs.Code(t.Context(), "m1")
	require.NoError(t, err)
	b, err := s.refs.Code(t.Context(), "m2")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
}

// The check symbol catches every single-symbol change and every swap of
// two adjacent different symbols.
func TestCheckSymbol(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 16))
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	for range 300 {
		b := make([]byte, 8)
		for i := range b {
			b[i] = alphabet[rng.IntN(32)]
		}
		// Find the check symbol by trying all 37.
		var code string
		for _, c := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U" {
			if n, ok := referral.NormaliseCode(string(b) + string(c)); ok {
				code = n
			}
		}
		require.NotEmpty(t, code)
		for i := range 8 {
			for _, c := range []byte(alphabet) {
				if c == code[i] {
					continue
				}
				mut := []byte(code)
				mut[i] = c
				_, ok := referral.NormaliseCode(string(mut))
				require.False(t, ok, "%s with %c at %d", code, c, i)
			}
			if i < 7 && code[i] != code[i+1] {
				mut := []byte(code)
				mut[i], mut[i+1] = mut[i+1], mut[i]
				_, ok := referral.NormaliseCode(string(mut))
				require.False(t, ok, "swap at %d of %s", i, code)
			}
		}
	}
	_, ok := referral.NormaliseCode("not a code")
	assert.False(t, ok)
}

func FuzzNormaliseCode(f *testing.F) {
	f.Add("abcd-efgh-j")
	f.Add("0000 0000 0")
	f.Add("ÄÖÜ")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := referral.NormaliseCode(s)
		if !ok {
			return
		}
		again, ok2 := referral.NormaliseCode(c)
		if !ok2 || again != c {
			t.Fatalf("%q normalised to %q, which reads back as %q %v", s, c, again, ok2)
		}
	})
}
