package customer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

var shanghai = time.FixedZone("CST", 8*3600)

// newShop returns a service over the in-memory store with a fixed clock
// and predictable IDs, as the examples need.
func newShop() *customer.Service {
	n := 0
	return customer.NewService(customer.NewMemoryStore(), &customer.Options{
		Clock:    func() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, shanghai) },
		NewID:    func() string { n++; return fmt.Sprintf("c%d", n) },
		Location: shanghai,
	})
}

func ExampleService_Register() {
	ctx := context.Background()
	shop := newShop()
	c, err := shop.Register(ctx, customer.Registration{
		Profile: customer.Profile{Name: "王芳", Birthday: customer.Birthday{Month: time.February, Day: 29}},
		Phone:   "+86 138-0013-8000",
		Store:   "sh-01",
		Channel: customer.ChannelInStore,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	phone, _ := c.Identity(customer.IdentityPhone)
	fmt.Println(c.ID, phone.Value, c.Version)

	// The same phone typed with full-width digits finds the same customer.
	found, _ := shop.FindByIdentity(ctx, customer.IdentityPhone, "１３８００１３８０００")
	fmt.Println(found.ID)
	fmt.Println(c) // String never shows personal data
	// Output:
	// c1 +8613800138000 1
	// c1
	// Customer{ID: c1, Version: 1, Identities: 1, Tags: 0}
}

func ExampleService_Register_duplicate() {
	ctx := context.Background()
	shop := newShop()
	first, _ := shop.Register(ctx, customer.Registration{
		Profile: customer.Profile{Name: "Li Na", Birthday: customer.Birthday{Year: 1990, Month: time.May, Day: 4}},
		Phone:   "13800138000",
	})
	_, err := shop.Register(ctx, customer.Registration{
		Profile: customer.Profile{Name: "  li  NA ", Birthday: customer.Birthday{Month: time.May, Day: 4}},
		Email:   "lina@example.com",
	})
	var dup *customer.DuplicateError
	if errors.As(err, &dup) {
		fmt.Println(errors.Is(err, customer.ErrLikelyDuplicate), dup.Candidates[0].CustomerID == first.ID, dup.Candidates[0].Reasons)
	}
	// The cashier confirms it is a different person.
	second, err := shop.Register(ctx, customer.Registration{
		Profile: customer.Profile{Name: "Li Na", Birthday: customer.Birthday{Month: time.May, Day: 4}},
		Email:   "lina@example.com",
		Force:   true,
	})
	fmt.Println(second.ID, err)
	// Output:
	// true true [name+birthday]
	// c3 <nil>
}

func basket(id, customerID string, at time.Time) customer.Purchase {
	return customer.Purchase{
		ID: id, CustomerID: customerID, Store: "sh-01", Channel: customer.ChannelInStore,
		Time: at, Currency: "CNY",
		Lines: []customer.Line{
			{SKU: "TEA-01", Category: "tea", Quantity: decimal.NewFromInt(2), UnitPrice: decimal.RequireFromString("49.90"),
				Discount: decimal.RequireFromString("9.80"), Total: decimal.RequireFromString("90.00")},
			{SKU: "CUP-07", Category: "teaware", Quantity: decimal.NewFromInt(1), UnitPrice: decimal.RequireFromString("120.00"),
				Total: decimal.RequireFromString("120.00")},
		},
	}
}

func ExampleService_RecordPurchase() {
	ctx := context.Background()
	shop := newShop()
	c, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, MemberNumber: "M-1001"})
	at := time.Date(2026, 3, 2, 15, 4, 5, 0, shanghai)

	p, err := shop.RecordPurchase(ctx, basket("pos1-000042", c.ID, at))
	fmt.Println(p.ID, p.Total(), err)

	// An offline lane replays the same sale: nothing new is written.
	_, err = shop.RecordPurchase(ctx, basket("pos1-000042", c.ID, at))
	fmt.Println(err)

	// A different sale under the same ID is refused.
	other := basket("pos1-000042", c.ID, at)
	other.Lines = other.Lines[:1]
	_, err = shop.RecordPurchase(ctx, other)
	fmt.Println(errors.Is(err, customer.ErrIdempotencyMismatch))

	// Bad input names every field at once.
	bad := basket("pos1-000043", c.ID, at)
	bad.Currency = "XYZ"
	bad.Lines[1].Total = decimal.RequireFromString("119.99")
	_, err = shop.RecordPurchase(ctx, bad)
	fmt.Println(errors.Is(err, customer.ErrInvalid))
	fmt.Println(err)
	// Output:
	// pos1-000042 210 <nil>
	// <nil>
	// true
	// true
	// customer: currency: must be an ISO 4217 code
}

func ExampleService_RecordReturn() {
	ctx := context.Background()
	shop := newShop()
	c, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, MemberNumber: "M-1001"})
	at := time.Date(2026, 3, 2, 15, 4, 5, 0, shanghai)
	_, _ = shop.RecordPurchase(ctx, basket("pos1-000042", c.ID, at))

	ret := customer.Return{
		ID: "pos1-R-0007", PurchaseID: "pos1-000042", Store: "sh-01", Time: at.Add(48 * time.Hour),
		Currency: "CNY", Refund: decimal.RequireFromString("45.00"),
		Lines: []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}},
	}
	r, err := shop.RecordReturn(ctx, ret)
	fmt.Println(r.ID, r.CustomerID, err)

	// Two more teas cannot come back: only one is left.
	ret.ID = "pos1-R-0008"
	ret.Lines[0].Quantity = decimal.NewFromInt(2)
	_, err = shop.RecordReturn(ctx, ret)
	fmt.Println(errors.Is(err, customer.ErrOverReturn))

	st, _ := shop.Stats(ctx, c.ID)
	fmt.Println(st.Orders, st.Returns, st.Money[0].Gross, st.Money[0].Net, st.Money[0].AverageOrderValue)
	// Output:
	// pos1-R-0007 c1 <nil>
	// true
	// 1 1 210 165 165
}

func ExampleService_GrantConsent() {
	ctx := context.Background()
	shop := newShop()
	c, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, Phone: "13800138000"})
	march := time.Date(2026, 3, 1, 10, 0, 0, 0, shanghai)

	_, _ = shop.GrantConsent(ctx, c.ID, customer.ConsentRequest{
		Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS, Source: "pos:sh-01", At: march})
	ok, _ := shop.CanContact(ctx, c.ID, customer.PurposeMarketing, customer.ContactSMS, march.AddDate(0, 0, 1))
	fmt.Println("SMS marketing:", ok)
	ok, _ = shop.CanContact(ctx, c.ID, customer.PurposeMarketing, customer.ContactEmail, march.AddDate(0, 0, 1))
	fmt.Println("email marketing:", ok)

	// Withdrawing takes exactly what granting took; history is kept.
	c, _ = shop.WithdrawConsent(ctx, c.ID, customer.ConsentRequest{
		Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS, Source: "sms STOP", At: march.AddDate(0, 1, 0)})
	fmt.Println("in April:", c.CanContact(customer.PurposeMarketing, customer.ContactSMS, march.AddDate(0, 1, 1)))
	fmt.Println("in March, looking back:", c.CanContact(customer.PurposeMarketing, customer.ContactSMS, march.AddDate(0, 0, 1)))
	fmt.Println("changes kept:", len(c.Consents[0].History))
	// Output:
	// SMS marketing: true
	// email marketing: false
	// in April: false
	// in March, looking back: true
	// changes kept: 2
}

func ExampleService_Merge() {
	ctx := context.Background()
	shop := newShop()
	a, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Chen Jie"}, Phone: "13800138000"})
	b, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Chen Jie"}, Email: "cj@example.com", Force: true})
	_, _ = shop.RecordPurchase(ctx, basket("p1", b.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)))

	rec, err := shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "staff-7", Reason: "same person, two sign-ups"})
	fmt.Println(rec.Survivor, rec.Duplicate, rec.Identities, err)

	// The duplicate's ID and email now find the survivor, with its purchase.
	c, _ := shop.Get(ctx, b.ID)
	byEmail, _ := shop.FindByIdentity(ctx, customer.IdentityEmail, "cj@EXAMPLE.com")
	st, _ := shop.Stats(ctx, a.ID)
	fmt.Println(c.ID, byEmail.ID, len(c.Identities), st.Orders)

	// Merging again changes nothing.
	again, err := shop.Merge(ctx, a.ID, b.ID, customer.MergeRequest{Actor: "staff-7"})
	fmt.Println(again == rec, err)
	// Output:
	// c1 c2 1 <nil>
	// c1 c1 2 1
	// true <nil>
}

// A merge attempt that lost the race with the opposite merge is not
// deleted: it is marked abandoned, and only then may the duplicate's next
// attempt be recorded. MergeAttempts is the duplicate's audit trail.
func ExampleCustomerStore_MergeAttempts() {
	ctx := context.Background()
	s := customer.NewMemoryStore()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)
	_ = s.AddMerge(ctx, customer.MergeRecord{Survivor: "c2", Duplicate: "c1", At: at, Actor: "lane-1", Attempt: 1})
	next := customer.MergeRecord{Survivor: "c3", Duplicate: "c1", At: at.Add(time.Hour), Actor: "staff-7", Attempt: 2}
	fmt.Println(errors.Is(s.AddMerge(ctx, next), customer.ErrAlreadyExists)) // attempt 1 is in force

	_ = s.AbandonMerge(ctx, "c1", 1, at.Add(time.Second))
	fmt.Println(s.AddMerge(ctx, next))
	attempts, _ := s.MergeAttempts(ctx, "c1")
	for _, m := range attempts {
		fmt.Println(m.Attempt, m.Survivor, m.Abandoned())
	}
	// Output:
	// true
	// <nil>
	// 1 c2 true
	// 2 c3 false
}

func ExampleService_Export() {
	ctx := context.Background()
	shop := newShop()
	c, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, MemberNumber: "M-1001"})
	_, _ = shop.RecordPurchase(ctx, basket("p1", c.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)))
	ex, _ := shop.Export(ctx, c.ID)
	b, _ := json.Marshal(ex)
	var back map[string]json.RawMessage
	_ = json.Unmarshal(b, &back)
	fmt.Println(len(ex.Purchases), len(back) >= 5)
	// Output:
	// 1 true
}

func ExampleService_Erase() {
	ctx := context.Background()
	shop := newShop()
	c, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, Phone: "13800138000"})
	_, _ = shop.RecordPurchase(ctx, basket("p1", c.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)))

	err := shop.Erase(ctx, c.ID, customer.EraseRequest{Actor: "dpo"})
	fmt.Println(err)
	gone, _ := shop.Get(ctx, c.ID)
	st, _ := shop.Stats(ctx, c.ID)
	fmt.Printf("name %q, erased %v, orders kept %d\n", gone.Name, gone.Erased(), st.Orders)

	// The same phone cannot quietly re-create the person...
	_, err = shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, Phone: "138 0013 8000"})
	fmt.Println(errors.Is(err, customer.ErrErased))
	// ...unless the person asks to come back.
	back, err := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Zhao"}, Phone: "138 0013 8000", AllowErased: true})
	fmt.Println(back.ID, err)
	// Output:
	// <nil>
	// name "", erased true, orders kept 1
	// true
	// c3 <nil>
}

// A POS lane retries a registration after a timeout: the replay returns
// the customer the first call created and its event again, so the host
// publishes it at least once and never registers the person twice.
func ExampleWrites_Register() {
	ctx := context.Background()
	shop := newShop()
	r := customer.Registration{Profile: customer.Profile{Name: "Lin Mei"}, Phone: "138 0013 8000", RequestID: "lane-3/0001"}
	first, err := shop.Writes().Register(ctx, r)
	if err != nil {
		panic(err)
	}
	retry, err := shop.Writes().Register(ctx, r)
	if err != nil {
		panic(err)
	}
	fmt.Println(first.Customer.ID == retry.Customer.ID)
	fmt.Println(retry.Events[0].Type, retry.Events[0].RequestID)
	fmt.Println(retry.Customer.Profile) // personal data stays out of logs
	// Output:
	// true
	// customer.registered lane-3/0001
	// Profile{<redacted>}
}

func ExampleWrites_GrantConsent() {
	ctx := context.Background()
	shop := newShop()
	c, _ := shop.Register(ctx, customer.Registration{Profile: customer.Profile{Name: "Lin Mei"}})
	req := customer.ConsentRequest{Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS,
		Source: "pos:sh-01", RequestID: "lane-3/0002"}
	for range 2 { // the second call is the lane's retry
		ch, err := shop.Writes().GrantConsent(ctx, c.ID, req)
		if err != nil {
			panic(err)
		}
		fmt.Println(ch.Events[0], len(ch.Customer.Consents[0].History))
	}
	// Output:
	// customer.consent-granted{customer: c1, version: 2, at: 2026-03-01T02:00:00Z, purpose: marketing, channel: sms} 1
	// customer.consent-granted{customer: c1, version: 2, at: 2026-03-01T02:00:00Z, purpose: marketing, channel: sms} 1
}
