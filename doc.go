// Package clientele is a customer-management core for point-of-sale and
// retail back-office software, written in pure Go.
//
// It is for developers who embed customer records, loyalty points, member
// tiers, segmentation, feedback and customer analytics into an existing POS
// or retail system, keep their own database, and want the rules right: no
// double-awarded points on a retried sale, no refund that keeps its points,
// no marketing message to someone who withdrew consent.
//
// This package holds documentation only. The work is done by:
//
//   - [github.com/clientele-go/clientele/customer]: profiles, identities,
//     consent, purchases and returns, interactions, duplicates and merge,
//     export and erasure.
//   - [github.com/clientele-go/clientele/loyalty]: points programs, quotes
//     that explain every point, the lot-based points ledger, redemption,
//     returns, expiry, member tiers and rewards, host-defined events and
//     member days; its sub-packages campaign (campaigns measured against a
//     control group), referral (member-get-member codes and rewards) and
//     membership (paid membership cards); at the till, its sub-packages
//     price the basket (loyalty/pricing), keep and redeem coupon codes
//     (loyalty/coupon) and print receipts (loyalty/receipt).
//   - [github.com/clientele-go/clientele/customer/lunar]: the Chinese
//     calendar 1900–2100, for birthdays stated in it.
//   - [github.com/clientele-go/clientele/loyalty/storedvalue]: stored value
//     (储值): wallets with paid and bonus money, payments at the till,
//     refunds, cash-out, gift cards and punch cards.
//   - [github.com/clientele-go/clientele/segment]: RFM, value classes,
//     lifecycle stages, rule-tree segments and marketing audiences.
//   - [github.com/clientele-go/clientele/feedback]: NPS, CSAT and CES
//     surveys, reviews, complaints with SLAs, and follow-up visits.
//   - [github.com/clientele-go/clientele/metrics]: satisfaction, retention,
//     cohorts, customer lifetime value, loyalty and complaint KPIs, reports.
//
// # Wiring a POS
//
// Each domain package has a Service over a small Store interface, an
// in-memory Store that is the embedded default, and a conformance kit
// (customertest, loyaltytest, feedbacktest, storedvaluetest) that proves an adapter for
// another database keeps the same contract. A POS program builds the
// services once and calls them from its checkout flow:
//
//	customers := customer.NewService(customer.NewMemoryStore(), nil)
//	c, err := customers.Register(ctx, customer.Registration{Phone: "13800138000"})
//	...
//	p, err := customers.RecordPurchase(ctx, sale) // idempotent by sale.ID
//
// Every write carries an ID from the POS and is idempotent, so an offline
// lane can replay its queue safely. Services take a clock and a time zone
// in their Options; segment and metrics are pure functions that take the
// analysis date as an argument. Operations that change state return the
// events they caused for the host to publish; the library starts no
// goroutines and sends no messages itself.
//
// Run the walk-through with
//
//	go run ./examples/pos
package clientele
