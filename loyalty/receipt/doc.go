// Package receipt prints what the till hands a customer after a sale, in
// English or Simplified Chinese: the items with the discounts each line
// carries and where they came from (member price, tier, promotion,
// coupon), the coupons that did not apply and why, the total, the
// tenders (points paid, stored value with the bonus it spent and the
// card's balance left, cash), the points earned rule by rule, and the
// member's balance and tier.
//
// [Render] is a pure function of a [Receipt] and [Options]: no clock, no
// store. Wording comes from an x/text/message catalog of the package's
// own (no package-level default of x/text is changed); columns are laid
// out by display width (x/text/width), so a line of 龙井 250g, two columns
// per Han character, lines up under one of "Glass cup".
package receipt
