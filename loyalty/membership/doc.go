// Package membership sells paid membership cards (付费会员, 权益卡): a
// plan is bought for a fee and runs for a term of calendar months, gives
// benefits (a tier, an earn multiplier, member prices, coupons each
// month), may be renewed (the new term starts where the old one ends),
// and may be refunded by a documented rule:
//
//   - within the cooling-off days after paying, with no benefit used:
//     the whole fee;
//   - otherwise: the fee times the term's unused days over its days,
//     rounded down to the minor unit, but never more than the fee less
//     the value of the benefits the member used; the day of the request
//     counts as used; nothing once the term is over.
//
// The fee is revenue earned over the term, not when paid: Recognised and
// Deferred split it by days, straight line (IFRS 15 for a service
// delivered over time), cumulative amounts rounded down so that the days
// add up to the fee exactly; a refund stops recognition, and what was
// deferred beyond the refund is recognised on the refund's day.
// metrics.MembershipRevenue sums it over a shop.
//
// Wired into loyalty as its perk source (loyalty.Options.Perks, through
// Service.PerksAt), a card in force raises the member's tier to the plan's
// for every purchase and event dated in its term, which brings the plan's
// earn multiplier (the tier's; CheckProgram holds them equal), and tags
// the member for the programme's rules. A term over or refunded gives
// nothing from then on.
//
// Storage follows the bounded-cost contract: a small versioned card per
// member beside one record per term bought (keyed by the payment's ID,
// which is also the idempotency key); every operation reads one card and
// one term. membershiptest checks a Store.
package membership
