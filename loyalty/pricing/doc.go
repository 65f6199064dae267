// Package pricing prices a basket at the till: member prices, the member's
// tier discount, the shop's promotions and the coupons the customer
// presents, in one pure, deterministic step that runs before loyalty's
// Quote and before the sale is recorded.
//
// An [Engine] is compiled once from [Rules] (a Go literal or strict JSON
// read by [ParseRules]) and a *time.Location for its calendar rules
// (member days recur on days of the month in the shop's time zone). Its
// [Engine.Price] takes a [Basket] and returns a [Result]: what each line
// costs, every discount allocated to the lines it came from, and a
// [Decision] for every offer considered, applied or not, with the
// [Reason] an offer did not apply ("spend 70.00 more", "not on this
// channel", "an exclusive offer applied first").
//
// # Order of evaluation
//
//  1. Member prices, where an item has one and the basket has a member.
//  2. The member's tier discount, on lines without a member price.
//  3. Promotions and presented coupons, highest Priority first; at equal
//     priority promotions come before coupons, each in the order given.
//     Each offer sees what earlier offers left of every line: a 满减
//     threshold is reached on the amount after earlier discounts.
//
// Stacking: an offer is combinable by default. An exclusive offer applies
// only when no other promotion or coupon applied before it, and once it
// applies no later one does (member price and tier discount are prices,
// not offers, and always apply). An offer marked no-other-coupons applies
// only if no coupon applied before it and stops later coupons (on a
// promotion: not with coupons, 不与优惠券同享).
//
// # Exact allocation
//
// Amounts are integers in the currency's minor unit inside the engine.
// Every offer's discount is computed once for the whole scope (5% of the
// tea in the basket, not 5% of each tea line rounded on its own) and then
// allocated to the lines in its scope in proportion to what each line had
// left, by the largest-remainder method: the shares are whole minor units
// and sum to the discount exactly, ties going to the earlier line. So the
// lines always sum to the order, [Result.Purchase] records them as
// customer.Line.Discount (the earn and the return read them from there),
// and [Refund] gives back exactly a returned quantity's share, all of it
// when everything comes back.
//
// Coupon codes, their limits and redemption live in package
// loyalty/coupon, which hands presented coupons to the basket as
// [Coupon] values; a coupon it refuses (used up, not this customer's)
// carries its refusal in, so the till explains it beside the rest.
// Promotions count no uses (pricing is pure and keeps no state): a
// promotion limited per customer or in total is kept there as a
// definition with a generic code the till presents on its own, whose
// limits and holds then count the uses (see that package's
// promotionOncePerMember example).
package pricing
