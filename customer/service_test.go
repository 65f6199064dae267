package customer_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func register(t *testing.T, shop *customer.Service, r customer.Registration) customer.Customer {
	t.Helper()
	c, err := shop.Register(context.Background(), r)
	require.NoError(t, err)
	return c
}

func TestRegisterReportsEveryInvalidField(t *testing.T) {
	shop := newShop()
	_, err := shop.Register(context.Background(), customer.Registration{
		Profile: customer.Profile{Gender: "robot", Birthday: customer.Birthday{Year: 2001, Month: time.February, Day: 29}},
		Phone:   "call me maybe",
		Email:   "not-an-email",
	})
	require.Error(t, err)
	assert.ErrorIs(t, err, customer.ErrInvalid)
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var fe *customer.FieldError
		require.True(t, errors.As(e, &fe))
		fields = append(fields, fe.Field)
	}
	assert.ElementsMatch(t, []string{"gender", "birthday.day", "phone", "email"}, fields)
	assert.NotContains(t, err.Error(), "call me maybe")
	assert.NotContains(t, err.Error(), "not-an-email")
}

func TestRegisterRefusesHeldIdentity(t *testing.T) {
	shop := newShop()
	register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
	_, err := shop.Register(context.Background(), customer.Registration{Profile: customer.Profile{Name: "B"}, Phone: "008613800138000"})
	assert.ErrorIs(t, err, customer.ErrIdentityTaken)
	assert.NotContains(t, err.Error(), "138")
}

func TestDuplicateReasons(t *testing.T) {
	tests := []struct {
		name  string
		first customer.Registration
		next  customer.Registration
		want  []customer.MatchReason
	}{
		{"name and birthday",
			customer.Registration{Profile: customer.Profile{Name: "张三", Birthday: customer.Birthday{Year: 1980, Month: 1, Day: 2}}},
			customer.Registration{Profile: customer.Profile{Name: "张 三", Birthday: customer.Birthday{Month: 1, Day: 2}}},
			[]customer.MatchReason{customer.SameNameAndBirthday}},
		{"different birth years are different people",
			customer.Registration{Profile: customer.Profile{Name: "张三", Birthday: customer.Birthday{Year: 1980, Month: 1, Day: 2}}},
			customer.Registration{Profile: customer.Profile{Name: "张三", Birthday: customer.Birthday{Year: 1981, Month: 1, Day: 2}}},
			nil},
		{"name and phone tail",
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei"}, Phone: "13800138000"},
			customer.Registration{Profile: customer.Profile{Name: "WANG WEI"}, Phone: "13900008000"},
			[]customer.MatchReason{customer.SameNameAndPhoneTail}},
		{"name and email key",
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei"}, Email: "wang.wei@gmail.com"},
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei"}, Email: "WangWei+pos@gmail.com"},
			[]customer.MatchReason{customer.SameNameAndEmail}},
		{"name and address",
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei", Address: customer.Address{City: "上海", Street: "南京西路 1 号"}}},
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei", Address: customer.Address{City: "上海", Street: "南京西路  1 号"}}},
			[]customer.MatchReason{customer.SameNameAndAddress}},
		{"name alone is not enough",
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei"}},
			customer.Registration{Profile: customer.Profile{Name: "Wang Wei"}},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			shop := newShop()
			first := register(t, shop, tt.first)
			_, err := shop.Register(context.Background(), tt.next)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			var dup *customer.DuplicateError
			require.ErrorAs(t, err, &dup)
			require.Len(t, dup.Candidates, 1)
			assert.Equal(t, first.ID, dup.Candidates[0].CustomerID)
			assert.Equal(t, tt.want, dup.Candidates[0].Reasons)
		})
	}
}

func TestConcurrentRegistrationsOfOnePhoneHaveOneWinner(t *testing.T) {
	shop := customer.NewService(customer.NewMemoryStore(), nil)
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := shop.Register(context.Background(), customer.Registration{
				Profile: customer.Profile{Name: fmt.Sprint("p", i)}, Phone: "13800138000"})
			if err == nil {
				wins.Add(1)
			} else {
				assert.ErrorIs(t, err, customer.ErrIdentityTaken)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
}

func TestUpdateProfileUsesVersions(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Old"}})
	p := c.Profile
	p.Name = "New"
	updated, err := shop.UpdateProfile(ctx, c.ID, c.Version, p)
	require.NoError(t, err)
	assert.Equal(t, c.Version+1, updated.Version)
	// A different edit from the version read is a conflict; the same edit
	// again is a replay of the one that landed (see
	// TestUpdateProfileReplayReturnsResult).
	other := p
	other.Name = "Other"
	_, err = shop.UpdateProfile(ctx, c.ID, c.Version, other)
	assert.ErrorIs(t, err, customer.ErrConflict)
	p.Gender = "?"
	_, err = shop.UpdateProfile(ctx, c.ID, updated.Version, p)
	assert.ErrorIs(t, err, customer.ErrInvalid)
}

func TestTagsAreMergedUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "T"}})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := shop.Tag(ctx, c.ID, fmt.Sprint("tag-", i))
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	got, err := shop.Get(ctx, c.ID)
	require.NoError(t, err)
	assert.Len(t, got.Tags, 8)
	got, err = shop.Untag(ctx, c.ID, "tag-3", "absent")
	require.NoError(t, err)
	assert.Len(t, got.Tags, 7)
	assert.False(t, got.HasTag("tag-3"))
}

func TestIdentitiesCanBeAddedAndReleased(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}})
	_, err := shop.AddIdentity(ctx, a.ID, customer.IdentityExternal, "WeChat:o6_union", false)
	require.NoError(t, err)
	_, err = shop.AddIdentity(ctx, b.ID, customer.IdentityExternal, "wechat:o6_union", false)
	assert.ErrorIs(t, err, customer.ErrIdentityTaken)
	_, err = shop.RemoveIdentity(ctx, a.ID, customer.IdentityExternal, "wechat:o6_union")
	require.NoError(t, err)
	got, err := shop.AddIdentity(ctx, b.ID, customer.IdentityExternal, "wechat:o6_union", false)
	require.NoError(t, err)
	found, err := shop.FindByIdentity(ctx, customer.IdentityExternal, "wechat:o6_union")
	require.NoError(t, err)
	assert.Equal(t, got.ID, found.ID)
}

func TestValidatePurchase(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	tests := []struct {
		name   string
		change func(*customer.Purchase)
		field  string
	}{
		{"valid", func(*customer.Purchase) {}, ""},
		{"negative quantity", func(p *customer.Purchase) { p.Lines[0].Quantity = dec("-1") }, "lines[0].quantity"},
		{"negative price", func(p *customer.Purchase) { p.Lines[1].UnitPrice = dec("-1") }, "lines[1].unitPrice"},
		{"total off by a fen", func(p *customer.Purchase) { p.Lines[0].Total = dec("90.01") }, "lines[0].total"},
		{"total finer than a fen", func(p *customer.Purchase) { p.Lines[1].Total = dec("120.001") }, "lines[1].total"},
		{"unknown currency", func(p *customer.Purchase) { p.Currency = "RMB" }, "currency"},
		{"no lines", func(p *customer.Purchase) { p.Lines = nil }, "lines"},
		{"missing ID", func(p *customer.Purchase) { p.ID = "" }, "id"},
		{"unknown channel", func(p *customer.Purchase) { p.Channel = "fax" }, "channel"},
		{"no time", func(p *customer.Purchase) { p.Time = time.Time{} }, "time"},
		{"order discount above subtotal", func(p *customer.Purchase) { p.OrderDiscount = dec("500") }, "orderDiscount"},
		{"negative tax", func(p *customer.Purchase) { p.Tax = dec("-0.01") }, "tax"},
		{"discount above the line", func(p *customer.Purchase) {
			p.Lines[1].Discount = dec("130")
			p.Lines[1].Total = dec("-10")
		}, "lines[1].discount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basket("p1", "", at)
			tt.change(&p)
			err := customer.ValidatePurchase(p)
			if tt.field == "" {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, customer.ErrInvalid)
			assert.Contains(t, err.Error(), tt.field+":")
		})
	}
}

func TestYenHasNoMinorUnit(t *testing.T) {
	p := customer.Purchase{ID: "j1", Store: "tokyo", Channel: customer.ChannelInStore,
		Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Currency: "JPY",
		Lines: []customer.Line{{SKU: "x", Quantity: dec("3"), UnitPrice: dec("333.5"), Total: dec("1001")}}}
	assert.NoError(t, customer.ValidatePurchase(p))
	p.Lines[0].Total = dec("1000.5")
	assert.ErrorIs(t, customer.ValidatePurchase(p), customer.ErrInvalid)
}

func TestRecordPurchaseForUnknownCustomerWritesNothing(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	_, err := shop.RecordPurchase(ctx, basket("p1", "nobody", time.Now()))
	assert.ErrorIs(t, err, customer.ErrNotFound)
	_, err = shop.Purchase(ctx, "p1")
	assert.ErrorIs(t, err, customer.ErrNotFound)
}

func TestAnonymousPurchase(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	p, err := shop.RecordPurchase(ctx, basket("p1", "", time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)))
	require.NoError(t, err)
	assert.True(t, p.Anonymous())
}

func TestPurchaseReplayAfterMergeIsStillAReplay(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}})
	p := basket("p1", b.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai))
	_, err := shop.RecordPurchase(ctx, p)
	require.NoError(t, err)
	_, err = shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "t"})
	require.NoError(t, err)
	got, err := shop.RecordPurchase(ctx, p) // the lane syncs late
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.CustomerID)
}

func TestConcurrentReturnsNeverExceedThePurchase(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "R"}})
	p := basket("p1", c.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai))
	p.Lines[0].Quantity = dec("5")
	p.Lines[0].Discount = dec("0")
	p.Lines[0].Total = dec("249.50")
	_, err := shop.RecordPurchase(ctx, p)
	require.NoError(t, err)

	var ok atomic.Int32
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := shop.RecordReturn(ctx, customer.Return{
				ID: fmt.Sprint("r", i), PurchaseID: "p1", Store: "sh-01", Currency: "CNY",
				Time:  p.Time.Add(time.Hour),
				Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}},
			})
			if err == nil {
				ok.Add(1)
				return
			}
			assert.True(t, errors.Is(err, customer.ErrOverReturn) || errors.Is(err, customer.ErrConflict), err)
		}()
	}
	wg.Wait()
	returned := decimal.Zero
	for r, err := range shop.Store().ReturnsOfPurchase(ctx, "p1") {
		require.NoError(t, err)
		returned = returned.Add(r.Lines[0].Quantity)
	}
	assert.True(t, returned.LessThanOrEqual(dec("5")), returned.String())
	assert.Equal(t, int64(ok.Load()), returned.IntPart())
}

func TestValidateReturn(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	p := basket("p1", "c1", at)
	earlier := []customer.Return{{ID: "r0", PurchaseID: "p1", Store: "s", Time: at, Currency: "CNY",
		Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}, Refund: dec("45")}}
	valid := customer.Return{ID: "r1", PurchaseID: "p1", Store: "s", Time: at.Add(time.Hour), Currency: "CNY",
		Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("1")}}, Refund: dec("45")}
	tests := []struct {
		name   string
		change func(*customer.Return)
		want   error
	}{
		{"valid", func(*customer.Return) {}, nil},
		{"more than remains", func(r *customer.Return) { r.Lines[0].Quantity = dec("2") }, customer.ErrOverReturn},
		{"half a cup", func(r *customer.Return) { r.Lines[0] = customer.ReturnLine{Line: 2, Quantity: dec("0.5")} }, customer.ErrInvalid},
		{"no such line", func(r *customer.Return) { r.Lines[0].Line = 3 }, customer.ErrInvalid},
		{"line zero", func(r *customer.Return) { r.Lines[0].Line = 0 }, customer.ErrInvalid},
		{"other currency", func(r *customer.Return) { r.Currency = "USD" }, customer.ErrInvalid},
		{"before the purchase", func(r *customer.Return) { r.Time = at.Add(-time.Minute) }, customer.ErrInvalid},
		{"refund beyond payment", func(r *customer.Return) { r.Refund = dec("166") }, customer.ErrInvalid},
		{"negative refund", func(r *customer.Return) { r.Refund = dec("-1") }, customer.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := valid.Clone()
			tt.change(&r)
			err := customer.ValidateReturn(r, p, earlier)
			if tt.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
}

func TestReturnIdempotency(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "R"}})
	p, err := shop.RecordPurchase(ctx, basket("p1", c.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)))
	require.NoError(t, err)
	r := customer.Return{ID: "r1", PurchaseID: p.ID, Store: "s", Time: p.Time.Add(time.Hour), Currency: "CNY",
		Lines: []customer.ReturnLine{{Line: 1, Quantity: dec("2")}}, Refund: dec("90")}
	first, err := shop.RecordReturn(ctx, r)
	require.NoError(t, err)
	again, err := shop.RecordReturn(ctx, r)
	require.NoError(t, err, "a replay of a return that used the whole line must not be an over-return")
	assert.Equal(t, first.ID, again.ID)
	r.Refund = dec("80")
	_, err = shop.RecordReturn(ctx, r)
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)
}

func TestHistoryIsNewestFirstAcrossKinds(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "H"}})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	_, err := shop.RecordPurchase(ctx, basket("p1", c.ID, t0))
	require.NoError(t, err)
	_, err = shop.RecordPurchase(ctx, basket("p2", c.ID, t0.Add(48*time.Hour)))
	require.NoError(t, err)
	_, err = shop.LogInteraction(ctx, customer.Interaction{ID: "i1", CustomerID: c.ID, Channel: customer.ContactPhone,
		Direction: customer.Outbound, Kind: customer.KindFollowUp, Time: t0.Add(24 * time.Hour), Summary: "happy with the tea"})
	require.NoError(t, err)
	_, err = shop.RecordReturn(ctx, customer.Return{ID: "r1", PurchaseID: "p1", Store: "s", Currency: "CNY",
		Time: t0.Add(72 * time.Hour), Lines: []customer.ReturnLine{{Line: 2, Quantity: dec("1")}}, Refund: dec("120")})
	require.NoError(t, err)

	var got []string
	for e, err := range shop.History(ctx, c.ID) {
		require.NoError(t, err)
		got = append(got, string(e.Kind)+":"+e.ID())
	}
	assert.Equal(t, []string{"return:r1", "purchase:p2", "interaction:i1", "purchase:p1"}, got)

	// Stopping early is fine.
	n := 0
	for range shop.History(ctx, c.ID) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestInteractionReplay(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "I"}})
	in := customer.Interaction{ID: "i1", CustomerID: c.ID, Channel: customer.ContactWeChat, Direction: customer.Inbound,
		Kind: customer.KindInquiry, Time: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)}
	_, err := shop.LogInteraction(ctx, in)
	require.NoError(t, err)
	_, err = shop.LogInteraction(ctx, in)
	require.NoError(t, err)
	in.Summary = "different"
	_, err = shop.LogInteraction(ctx, in)
	assert.ErrorIs(t, err, customer.ErrIdempotencyMismatch)
	in.Direction = "sideways"
	_, err = shop.LogInteraction(ctx, in)
	assert.ErrorIs(t, err, customer.ErrInvalid)
}

func TestMergeMovesEverythingAndResolves(t *testing.T) {
	ctx := context.Background()
	var hooked []string
	n := 0
	shop := customer.NewService(customer.NewMemoryStore(), &customer.Options{
		NewID: func() string { n++; return fmt.Sprint("c", n) },
		OnMerge: []func(context.Context, customer.MergeRecord) error{func(_ context.Context, m customer.MergeRecord) error {
			hooked = append(hooked, m.Duplicate)
			return nil
		}},
	})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000", Tags: []string{"vip"}})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A", Birthday: customer.Birthday{Month: 7, Day: 1}},
		Email: "a@example.com", Tags: []string{"tea"}, JoinedAt: t0.AddDate(-1, 0, 0)})
	_, err := shop.GrantConsent(ctx, b.ID, customer.ConsentRequest{Purpose: customer.PurposeMarketing, Channel: customer.ContactEmail, Source: "web", At: t0})
	require.NoError(t, err)
	_, err = shop.RecordPurchase(ctx, basket("p1", b.ID, t0))
	require.NoError(t, err)
	_, err = shop.LogInteraction(ctx, customer.Interaction{ID: "i1", CustomerID: b.ID, Channel: customer.ContactPhone,
		Direction: customer.Inbound, Kind: customer.KindInquiry, Time: t0})
	require.NoError(t, err)

	_, err = shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "staff", At: t0})
	require.NoError(t, err)
	_, err = shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "staff", At: t0})
	require.NoError(t, err)
	_, err = shop.Merge(ctx, b.ID, a.ID, customer.MergeRequest{Actor: "staff"})
	assert.Error(t, err, "the survivor cannot be merged into its duplicate")

	s, err := shop.Get(ctx, b.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, s.ID)
	assert.Len(t, s.Identities, 2)
	assert.Equal(t, []string{"tea", "vip"}, s.Tags)
	assert.Equal(t, time.Month(7), s.Birthday.Month, "missing profile fields come from the duplicate")
	assert.True(t, s.JoinedAt.Equal(t0.AddDate(-1, 0, 0)), "membership seniority is the earlier join")
	assert.True(t, s.CanContact(customer.PurposeMarketing, customer.ContactEmail, t0.Add(time.Hour)))
	assert.Equal(t, []string{b.ID}, s.MergedFrom)

	kinds := map[customer.HistoryKind]int{}
	for e, err := range shop.History(ctx, a.ID) {
		require.NoError(t, err)
		kinds[e.Kind]++
	}
	assert.Equal(t, map[customer.HistoryKind]int{customer.HistoryPurchase: 1, customer.HistoryInteraction: 1}, kinds)
	assert.Equal(t, []string{b.ID, b.ID}, hooked, "hooks run on every attempt and must be idempotent")

	dup, err := shop.Store().GetCustomer(ctx, b.ID)
	require.NoError(t, err)
	assert.Empty(t, dup.Identities)
	assert.Empty(t, dup.MovedIdentities)
	_, err = shop.Tag(ctx, b.ID, "x")
	assert.ErrorIs(t, err, customer.ErrMerged)
}

// failingStore fails UpdateCustomer once for the survivor, to cut a merge
// short between its steps.
type failingStore struct {
	customer.Store
	failOn string
	failed bool
}

func (f *failingStore) UpdateCustomer(ctx context.Context, c customer.Customer) error {
	if c.ID == f.failOn && !f.failed {
		f.failed = true
		return errors.New("disk full")
	}
	return f.Store.UpdateCustomer(ctx, c)
}

func TestMergeCutShortResumes(t *testing.T) {
	ctx := context.Background()
	store := &failingStore{Store: customer.NewMemoryStore()}
	shop := customer.NewService(store, nil)
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "A"}, Phone: "13800138000"})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "B"}, Email: "b@example.com"})
	store.failOn = a.ID
	_, err := shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "t"})
	require.Error(t, err)
	// The duplicate's email is parked: nobody holds it, it is not lost.
	_, err = shop.FindByIdentity(ctx, customer.IdentityEmail, "b@example.com")
	assert.ErrorIs(t, err, customer.ErrNotFound)

	_, err = shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "t"})
	require.NoError(t, err)
	found, err := shop.FindByIdentity(ctx, customer.IdentityEmail, "b@example.com")
	require.NoError(t, err)
	assert.Equal(t, a.ID, found.ID)
}

func TestEraseRemovesPersonalDataEverywhere(t *testing.T) {
	ctx := context.Background()
	var erasedIDs []string
	shop := customer.NewService(customer.NewMemoryStore(), &customer.Options{
		TombstoneKey: []byte("host secret"),
		OnErase: []func(context.Context, string) error{func(_ context.Context, id string) error {
			erasedIDs = append(erasedIDs, id)
			return nil
		}},
	})
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	a := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Secret Name", Address: customer.Address{City: "Shanghai", Street: "1 Road"}},
		Phone: "13800138000"})
	b := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Other Name"}, Email: "secret@example.com"})
	_, err := shop.RecordPurchase(ctx, basket("p1", b.ID, t0))
	require.NoError(t, err)
	_, err = shop.LogInteraction(ctx, customer.Interaction{ID: "i1", CustomerID: a.ID, Channel: customer.ContactPhone,
		Direction: customer.Inbound, Kind: customer.KindInquiry, Time: t0, Summary: "lives at 1 Road", Outcome: "called back"})
	require.NoError(t, err)
	_, err = shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "t"})
	require.NoError(t, err)

	require.NoError(t, shop.Erase(ctx, b.ID, customer.EraseRequest{Actor: "dpo"}))
	require.NoError(t, shop.Erase(ctx, a.ID, customer.EraseRequest{Actor: "dpo"}), "erasure is idempotent")
	assert.Equal(t, []string{a.ID, b.ID, a.ID, b.ID}, erasedIDs)

	ex, err := shop.Export(ctx, a.ID)
	require.NoError(t, err)
	dump := fmt.Sprintf("%+v", ex)
	for c, err := range shop.Store().Customers(ctx) {
		require.NoError(t, err)
		dump += fmt.Sprintf("%+v %v", c.Profile, c.Identities)
	}
	for _, secret := range []string{"Secret", "Other Name", "1 Road", "13800138000", "secret@example.com", "called back"} {
		assert.NotContains(t, dump, secret)
	}
	assert.Len(t, ex.Purchases, 1, "pseudonymous purchase facts stay")
	for _, kind := range []customer.IdentityKind{customer.IdentityPhone, customer.IdentityEmail} {
		raw := map[customer.IdentityKind]string{customer.IdentityPhone: "13800138000", customer.IdentityEmail: "secret@example.com"}[kind]
		_, err := shop.AddIdentity(ctx, register(t, shop, customer.Registration{Profile: customer.Profile{Name: string(kind)}}).ID, kind, raw, false)
		assert.ErrorIs(t, err, customer.ErrErased)
	}
	_, err = shop.Tag(ctx, a.ID, "x")
	assert.ErrorIs(t, err, customer.ErrErased)
	_, err = shop.RecordPurchase(ctx, basket("p2", a.ID, t0))
	assert.ErrorIs(t, err, customer.ErrErased)
}

func TestExportSections(t *testing.T) {
	ctx := context.Background()
	shop := customer.NewService(customer.NewMemoryStore(), &customer.Options{
		Exporters: map[string]func(context.Context, string) (any, error){
			"loyalty": func(_ context.Context, id string) (any, error) { return map[string]int{"points": 120}, nil },
		},
	})
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "E"}})
	ex, err := shop.Export(ctx, c.ID)
	require.NoError(t, err)
	assert.JSONEq(t, `{"points":120}`, string(ex.Sections["loyalty"]))
}

func TestListByNameInPinyinOrder(t *testing.T) {
	ctx := context.Background()
	shop := newShop()
	for _, name := range []string{"张伟", "曾小贤", "安琪", "单田芳", "李娜", "Zoe", "陈晨"} {
		register(t, shop, customer.Registration{Profile: customer.Profile{Name: name}, Force: true})
	}
	override := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "长孙无忌", SortName: "掌孙无忌"}})
	list, err := shop.ListByName(ctx, language.Chinese)
	require.NoError(t, err)
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
	}
	// 曾 sorts as Zeng and 单 as Shan when they are surnames.
	assert.Equal(t, []string{"Zoe", "安琪", "陈晨", "李娜", "单田芳", "曾小贤", "张伟", override.Name}, names)
}

func TestPersonalDataStaysOutOfLogs(t *testing.T) {
	shop := newShop()
	c := register(t, shop, customer.Registration{Profile: customer.Profile{Name: "Secret Name"}, Phone: "13800138000", Email: "x@example.com"})
	var buf strings.Builder
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("registered", "customer", c, "identity", c.Identities[0])
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s", c, c, c, c.Identities[0])
	for _, secret := range []string{"Secret", "13800138000", "x@example.com"} {
		assert.NotContains(t, out, secret)
	}
}
