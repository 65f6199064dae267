package synth

import (
	"fmt"
	"iter"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

var channels = []customer.SalesChannel{
	customer.ChannelInStore, customer.ChannelOnline, customer.ChannelApp, customer.ChannelMiniProgram,
}

var cities = []string{"Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "Wuhan", "Nanjing", "Xi'an"}

var tagPool = []string{"vip", "staff", "wholesale", "newsletter", "student"}

// StoreName names a store index.
func StoreName(i int) string { return fmt.Sprintf("S%03d", i) }

// Customers yields every customer in ascending ID order. About 1% of
// customers are erased and 1% merged into another; a few are born on
// 29 February.
func (s *Shop) Customers() iter.Seq2[customer.Customer, error] {
	return func(yield func(customer.Customer, error) bool) {
		for i := range s.ids {
			if !yield(s.customer(i), nil) {
				return
			}
		}
	}
}

func (s *Shop) customer(i int) customer.Customer {
	u := uint64(i)
	joined := s.firstDay.AddDate(0, 0, s.joinDay(i)).Add(10 * time.Hour)
	c := customer.Customer{
		ID: s.ids[i], Version: 1,
		Profile: customer.Profile{
			Gender:   []customer.Gender{customer.GenderFemale, customer.GenderMale, customer.GenderUnstated}[s.below(tagGender, u, 0, 3)],
			Birthday: s.birthday(i),
			Address:  customer.Address{Country: "CN", City: cities[s.below(tagCity, u, 0, len(cities))]},
		},
		RegisteredStore:   StoreName(i % s.cfg.Stores),
		RegisteredChannel: channels[s.channelOf(u^0x5bd1e995)],
		JoinedAt:          joined,
	}
	for k, t := range tagPool {
		if s.below(tagTag, u, uint64(k), 10) == 0 {
			c.Tags = append(c.Tags, t) // tagPool is sorted by nothing; sort below
		}
	}
	sortStrings(c.Tags)
	c.Consents = s.consents(i, joined)
	switch s.below(tagCustomer, u, 99, 100) {
	case 0:
		c.ErasedAt = joined.Add(24 * time.Hour)
		c.Profile = customer.Profile{}
	case 1:
		c.MergedInto = s.ids[(i+1)%len(s.ids)]
	}
	return c
}

// birthday: 80% give one, 70% of those with the year; one in 500 is a
// 29 February birthday (with a leap year).
func (s *Shop) birthday(i int) customer.Birthday {
	u := uint64(i)
	if s.below(tagBirthday, u, 0, 10) >= 8 {
		return customer.Birthday{}
	}
	if s.below(tagBirthday, u, 1, 500) == 0 {
		return customer.Birthday{Year: 1988 + 4*s.below(tagBirthday, u, 2, 5), Month: time.February, Day: 29}
	}
	m := time.Month(1 + s.below(tagBirthday, u, 3, 12))
	b := customer.Birthday{Month: m, Day: 1 + s.below(tagBirthday, u, 4, 28)}
	if s.below(tagBirthday, u, 5, 10) < 7 {
		b.Year = 1950 + s.below(tagBirthday, u, 6, 55)
	}
	return b
}

// consents: 60% grant marketing by SMS at joining, 40% by WeChat, 30% by
// email; one in ten of the SMS grants is withdrawn 90 days later.
func (s *Shop) consents(i int, joined time.Time) []customer.Consent {
	u := uint64(i)
	var out []customer.Consent
	for k, ch := range []struct {
		c   customer.ContactChannel
		pct int
	}{{customer.ContactSMS, 60}, {customer.ContactWeChat, 40}, {customer.ContactEmail, 30}} {
		if s.below(tagConsent, u, uint64(k), 100) >= ch.pct {
			continue
		}
		h := []customer.ConsentChange{{Granted: true, At: joined, Source: "pos:" + StoreName(i%s.cfg.Stores)}}
		if k == 0 && s.below(tagConsent, u, 10, 10) == 0 {
			h = append(h, customer.ConsentChange{Granted: false, At: joined.AddDate(0, 0, 90), Source: "app"})
		}
		out = append(out, customer.Consent{Purpose: customer.PurposeMarketing, Channel: ch.c, History: h})
	}
	return out
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// PurchaseID names purchase number seq.
func PurchaseID(seq uint64) string { return fmt.Sprintf("P%010d", seq) }

// Purchases yields every purchase in time order (then ID, which grows
// with time).
func (s *Shop) Purchases() iter.Seq2[customer.Purchase, error] {
	return func(yield func(customer.Purchase, error) bool) {
		for sl := range s.slots() {
			if !yield(s.purchase(sl), nil) {
				return
			}
		}
	}
}

func (s *Shop) purchase(sl slot) customer.Purchase {
	var buf [4]line
	p := customer.Purchase{
		ID: PurchaseID(sl.seq), CustomerID: s.ids[sl.cust],
		Store: StoreName(s.storeOf(sl)), Channel: channels[s.channelOf(sl.seq)],
		Time: sl.at, Currency: s.cfg.Currency,
	}
	for _, l := range s.drawLines(sl.seq, buf[:0]) {
		p.Lines = append(p.Lines, customer.Line{
			SKU: skuName(l.sku), Category: s.category(l.sku), Brand: s.brand(l.sku),
			Quantity: decimal.NewFromInt(l.qty), UnitPrice: decimal.New(l.price, -Scale),
			Discount: decimal.New(l.discount, -Scale), Total: decimal.New(l.total(), -Scale),
		})
	}
	return p
}

// Returns yields every return in time order: the first line of about
// ReturnPerMille purchases in a thousand, 1 to 30 days after the purchase,
// refunded in full. Returns after End are left out.
func (s *Shop) Returns() iter.Seq2[customer.Return, error] {
	return func(yield func(customer.Return, error) bool) {
		for sale := range s.returns() {
			if !yield(sale, nil) {
				return
			}
		}
	}
}

func (s *Shop) returns() iter.Seq[customer.Return] {
	return func(yield func(customer.Return) bool) {
		var pending returnHeap
		end := s.cfg.End.Unix()
		emit := func(r pendingReturn) bool {
			return yield(customer.Return{
				ID: fmt.Sprintf("R%010d", r.seq), PurchaseID: PurchaseID(r.seq), CustomerID: s.ids[r.cust],
				Store: StoreName(r.store), Channel: channels[r.chn], Time: time.Unix(r.at, 0).In(s.cfg.Location),
				Currency: s.cfg.Currency, Lines: []customer.ReturnLine{{Line: 1, Quantity: s.firstQty(r.seq)}},
				Refund: decimal.New(r.minor, -Scale), Reason: "changed mind",
			})
		}
		for sl := range s.slots() {
			for len(pending) > 0 && pending[0].at < sl.at.Unix() {
				if !emit(pending.pop()) {
					return
				}
			}
			_, first := s.amounts(sl.seq)
			if r, ok := s.returnOf(sl, first); ok && r.at < end {
				pending.push(r)
			}
		}
		for len(pending) > 0 {
			if !emit(pending.pop()) {
				return
			}
		}
	}
}

func (s *Shop) firstQty(seq uint64) decimal.Decimal {
	var buf [4]line
	return decimal.NewFromInt(s.drawLines(seq, buf[:0])[0].qty)
}
