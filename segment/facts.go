package segment

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/clientele-go/clientele/customer"
)

// Facts is the per-customer record segmentation reads: who the customer
// is (attributes, tags, consent), what they bought (recency, frequency,
// monetary net of returns, and compact per-day and per-item summaries for
// windowed rules), and what loyalty and feedback know of them.
//
// Memory trade-off. Windowed rules ("spent at least X in the last N
// days", "bought category C in the last N days", "share of channel K over
// the last N days") need more than totals, but keeping every purchase is
// too much for millions of customers. Facts keeps:
//
//   - one DayTotal per calendar day with a purchase or refund (24 bytes),
//     which answers spend and count over any window of whole days exactly;
//   - one ItemStat per distinct category, brand and (unless
//     FactsOptions.SkipSKUs) SKU with the last day it was bought (32 bytes,
//     names interned across customers), which answers "bought X in the last
//     N days" exactly but not "bought X at least k times in a window";
//   - per channel and per store, the days it was used with counts, for
//     windowed shares.
//
// So memory grows with purchase days and distinct items per customer, not
// with lines. A grocer with daily shoppers and wide baskets should set
// SkipSKUs (SKU leaves then report ErrNotTracked).
type Facts struct {
	CustomerID string
	// Known is false for a customer seen only in purchases or returns.
	Known bool

	Gender            customer.Gender
	Birthday          customer.Birthday
	Country, City     string
	Tags              []string // sorted, unique
	JoinedAt          time.Time
	RegisteredStore   string
	RegisteredChannel customer.SalesChannel
	Consents          []customer.Consent
	ErasedAt          time.Time
	MergedInto        string

	// Currency and Scale of every money field (minor units).
	Currency string
	Scale    int32
	// First and Last are the times of the first and latest purchase;
	// PrevLast is the purchase before the latest (zero if fewer than two).
	First, Last, PrevLast time.Time
	Purchases             int64 // purchases up to asOf
	Returns               int64 // returns up to asOf
	Gross                 int64 // purchase totals, minor units
	Refunded              int64 // refunds, minor units
	Days                  []DayTotal
	Items                 []ItemStat // sorted by Kind, then Value
	Channels              []Usage    // sorted by Name
	Stores                []Usage    // sorted by Name
	SKUsTracked           bool

	Loyalty  LoyaltyFacts
	Feedback FeedbackFacts
	// RFM is filled by ScoreFacts; zero means not scored.
	RFM RFMScore
}

// Monetary returns purchases minus refunds in minor units.
func (f *Facts) Monetary() int64 { return f.Gross - f.Refunded }

// Summary returns the RFM summary of the customer.
func (f *Facts) Summary() Summary {
	s := Summary{CustomerID: f.CustomerID, Purchases: f.Purchases, Monetary: f.Monetary()}
	if f.Purchases > 0 {
		s.First, s.Last = f.First.Unix(), f.Last.Unix()
	}
	return s
}

// Contactable reports whether the customer may be contacted for purpose
// on channel at t, by customer.Customer.CanContact: never when erased or
// merged, otherwise as the consent history says.
func (f *Facts) Contactable(purpose customer.Purpose, channel customer.ContactChannel, at time.Time) bool {
	c := customer.Customer{ID: f.CustomerID, Consents: f.Consents, ErasedAt: f.ErasedAt, MergedInto: f.MergedInto}
	return f.Known && c.CanContact(purpose, channel, at)
}

// String describes the facts without personal data.
func (f *Facts) String() string {
	return fmt.Sprintf("Facts{ID: %s, Purchases: %d, Monetary: %s %s, RFM: %s}",
		f.CustomerID, f.Purchases, Amount(f.Monetary(), f.Scale).StringFixed(f.Scale), f.Currency, f.RFM.Code())
}

// LogValue keeps personal data (birthday, city, gender) out of slog.
func (f *Facts) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", f.CustomerID),
		slog.Int64("purchases", f.Purchases),
		slog.String("monetary", Amount(f.Monetary(), f.Scale).String()),
		slog.String("rfm", f.RFM.Code()),
	)
}

// DayTotal is one calendar day (in the analysis location) of a customer's
// purchases and refunds.
type DayTotal struct {
	Day       int32 // days since 1970-01-01 in the analysis location
	Purchases int32
	Spent     int64 // minor units
	Refunded  int64 // minor units
}

// ItemKind says what an ItemStat counts.
type ItemKind uint8

// Item kinds.
const (
	ItemCategory ItemKind = iota + 1
	ItemBrand
	ItemSKU
)

// String names the kind.
func (k ItemKind) String() string {
	switch k {
	case ItemCategory:
		return "category"
	case ItemBrand:
		return "brand"
	case ItemSKU:
		return "sku"
	}
	return fmt.Sprintf("ItemKind(%d)", uint8(k))
}

// ItemStat is one category, brand or SKU a customer bought.
type ItemStat struct {
	Value     string
	First     int32 // day of the first purchase containing it
	Last      int32 // day of the latest purchase containing it
	Purchases int32 // purchases containing it
	Kind      ItemKind
}

// Usage is a channel or store a customer bought through, with the days.
type Usage struct {
	Name      string
	Purchases int64
	Net       int64 // purchases minus refunds through it, minor units
	Days      []DayCount
}

// DayCount is a number of purchases on one day.
type DayCount struct {
	Day   int32
	Count int32
}

// LoyaltyFacts is what the loyalty service knows of a customer, as plain
// values; LoyaltyOf and LoyaltySource make them from loyalty accounts.
type LoyaltyFacts struct {
	Member      bool
	Tier        string
	MemberSince time.Time
	Points      int64
	// Expiring lists points that will expire, by expiry time ascending.
	Expiring []ExpiringPoints
}

// ExpiringPoints is a number of points that expire at a time.
type ExpiringPoints struct {
	At     time.Time
	Points int64
}

// PointsExpiringWithin sums the points that expire after asOf and at or
// before asOf plus days×24h.
func (l LoyaltyFacts) PointsExpiringWithin(asOf time.Time, days int) int64 {
	end := asOf.Add(time.Duration(days) * 24 * time.Hour)
	var sum int64
	for _, e := range l.Expiring {
		if e.At.After(asOf) && !e.At.After(end) {
			sum += e.Points
		}
	}
	return sum
}

// NPSGroup is the Net Promoter group of a 0–10 score.
type NPSGroup string

// NPS groups.
const (
	NPSNone      NPSGroup = ""
	NPSDetractor NPSGroup = "detractor" // 0–6
	NPSPassive   NPSGroup = "passive"   // 7–8
	NPSPromoter  NPSGroup = "promoter"  // 9–10
)

// GroupOf returns the NPS group of a score (NPSNone outside 0–10).
func GroupOf(score int) NPSGroup {
	switch {
	case score < 0 || score > 10:
		return NPSNone
	case score <= 6:
		return NPSDetractor
	case score <= 8:
		return NPSPassive
	}
	return NPSPromoter
}

// FeedbackFacts is the customer's latest NPS answer; FeedbackSource makes
// them from survey responses.
type FeedbackFacts struct {
	HasNPS    bool
	LastNPS   int
	LastNPSAt time.Time
}

// Group returns the group of the latest NPS answer.
func (f FeedbackFacts) Group() NPSGroup {
	if !f.HasNPS {
		return NPSNone
	}
	return GroupOf(f.LastNPS)
}
