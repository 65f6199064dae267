package customertest

import (
	"fmt"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// Zones away from UTC, fixed so the kit needs no time zone database.
var (
	shanghai = time.FixedZone("UTC+8", 8*60*60)
	newYork  = time.FixedZone("UTC-5", -5*60*60)
	kolkata  = time.FixedZone("UTC+5:30", 5*60*60+30*60)
)

// base is the instant fixtures are placed around: microsecond precision,
// the finest a store must keep, in a zone other than UTC.
var base = time.Date(2025, time.March, 9, 14, 30, 15, 123456000, shanghai)

// at returns base moved by d.
func at(d time.Duration) time.Time { return base.Add(d) }

func phone(n int) customer.Identity {
	return customer.Identity{Kind: customer.IdentityPhone, Value: fmt.Sprintf("+86138%08d", n)}
}

func email(n int) customer.Identity {
	return customer.Identity{Kind: customer.IdentityEmail, Value: fmt.Sprintf("shopper%d@example.com", n)}
}

func member(n int) customer.Identity {
	return customer.Identity{Kind: customer.IdentityMember, Value: fmt.Sprintf("M%07d", n)}
}

// newCustomer returns a valid customer at Version 1 holding ids.
func newCustomer(id string, ids ...customer.Identity) customer.Customer {
	return customer.Customer{
		ID:                id,
		Version:           1,
		Profile:           customer.Profile{Name: "Shopper " + id},
		Identities:        ids,
		RegisteredStore:   "store-1",
		RegisteredChannel: customer.ChannelInStore,
		JoinedAt:          base,
		NameKey:           "shopper " + id,
	}
}

// fullCustomer returns a customer with every field set, so a round trip
// shows any field a store drops.
func fullCustomer(id string) customer.Customer {
	c := newCustomer(id, member(1), phone(1), email(1),
		customer.Identity{Kind: customer.IdentityExternal, Value: "wechat:o6_bmjrPTlm6_2sgVt7hMZOPfL2M"})
	c.Profile = customer.Profile{
		Name:     "Li Lei",
		Gender:   customer.GenderMale,
		Birthday: customer.Birthday{Year: 1992, Month: time.February, Day: 29},
		Address: customer.Address{
			Country: "CN", Province: "Zhejiang", City: "Hangzhou", District: "Xihu",
			Street: "1 Longjing Road", PostalCode: "310000",
		},
		SortName:   "li lei",
		Attributes: map[string]string{"shoe-size": "42", "source": "flyer"},
		Preferences: customer.Preferences{
			Categories:     []string{"tea", "snacks"},
			Brands:         []string{"Hill"},
			ContactChannel: customer.ContactWeChat,
			Language:       "zh-Hans",
		},
	}
	c.Tags = []string{"vip", "wholesale"}
	c.AbandonedMerge = 2
	c.CommittedMerge = 3
	c.MovedIdentities = []customer.Identity{member(2), email(2)} // parked, not held
	c.Consents = []customer.Consent{
		{Purpose: customer.PurposeMarketing, Channel: customer.ContactSMS, History: []customer.ConsentChange{
			{Granted: true, At: at(-48 * time.Hour), Source: "pos:store-1"},
			{Granted: false, At: at(-time.Hour).In(newYork), Source: "app", Note: "too many messages", RequestID: "lane3-c-0042"},
		}},
		{Purpose: customer.PurposeProfiling, Channel: customer.ContactAny, History: []customer.ConsentChange{
			{Granted: true, At: at(-72 * time.Hour).In(kolkata), Source: "web form v3"},
		}},
	}
	c.RegisteredChannel = customer.ChannelMiniProgram
	c.NameKey = "li lei"
	c.MergedFrom = []string{"c-old-1", "c-old-2"}
	c.RegistrationHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	return c
}

// newPurchase returns a valid purchase record at Version 1: two lines, one
// sold by weight, with line and order discounts and tax.
func newPurchase(id, customerID string, t time.Time) customer.PurchaseRecord {
	return customer.PurchaseRecord{
		Purchase: customer.Purchase{
			ID:         id,
			CustomerID: customerID,
			Store:      "store-1",
			Channel:    customer.ChannelInStore,
			Staff:      "staff-7",
			Time:       t,
			Currency:   "CNY",
			Lines: []customer.Line{
				{
					SKU: "sku-tea", Name: "Oolong 250g", Category: "tea", Brand: "Hill", Tags: []string{"gift"},
					Quantity:  decimal.NewFromInt(2),
					UnitPrice: decimal.New(990, -2),
					Discount:  decimal.New(80, -2),
					Total:     decimal.New(1900, -2), // 2 × 9.90 − 0.80
				},
				{
					SKU: "sku-rice", Name: "Rice by weight", Category: "grocery",
					Quantity:  decimal.New(345, -3),
					UnitPrice: decimal.New(2580, -2),
					Discount:  decimal.Zero,
					Total:     decimal.New(890, -2), // 0.345 × 25.80 = 8.901, to the fen
				},
			},
			OrderDiscount: decimal.New(100, -2),
			Tax:           decimal.New(312, -2),
		},
		Hash:    "sha256:purchase-" + id,
		Version: 1,
	}
}

// newReturn returns a valid return of one unit of line 1 of a purchase.
func newReturn(id, purchaseID, customerID string, t time.Time) customer.ReturnRecord {
	return customer.ReturnRecord{
		Return: customer.Return{
			ID:         id,
			PurchaseID: purchaseID,
			CustomerID: customerID,
			Store:      "store-2",
			Channel:    customer.ChannelInStore,
			Staff:      "staff-9",
			Time:       t,
			Currency:   "CNY",
			Lines:      []customer.ReturnLine{{Line: 1, Quantity: decimal.NewFromInt(1)}},
			Refund:     decimal.New(950, -2),
			Reason:     "damaged box",
		},
		Hash: "sha256:return-" + id,
	}
}

// newInteraction returns a valid follow-up call.
func newInteraction(id, customerID string, t time.Time) customer.Interaction {
	return customer.Interaction{
		ID:         id,
		CustomerID: customerID,
		Channel:    customer.ContactPhone,
		Direction:  customer.Outbound,
		Kind:       customer.KindFollowUp,
		Store:      "store-1",
		Staff:      "staff-7",
		Time:       t,
		Summary:    "asked how the tea was",
		Outcome:    "happy, wants the autumn harvest",
		Reference:  "p-1",
	}
}

func newMerge(survivor, duplicate string) customer.MergeRecord {
	return customer.MergeRecord{
		Survivor:   survivor,
		Duplicate:  duplicate,
		At:         at(time.Hour).In(kolkata),
		Actor:      "staff-7",
		Reason:     "same phone",
		Identities: 2,
		Attempt:    1,
	}
}
