// Package coupon keeps coupon codes and redeems them at the till.
//
// A [Definition] is what a coupon gives (a pricing.Offer: "20 off 100",
// "10% off tea") and how often one code may be used in all and per
// customer. Codes come three ways:
//
//   - generated: unique, unguessable codes from crypto/rand, 12 characters
//     of Crockford's base-32 alphabet (60 random bits) and a check
//     character, so a mistyped code is refused before any lookup and a
//     guess among ten million live codes succeeds once in 10^11 tries;
//   - generic: one code chosen by the shop ("SPRING20"), printed on a
//     flyer and used many times, within the definition's total and
//     per-customer limits;
//   - imported from another system, kept as they are (normalised).
//
// A code is issued to a member (only they may use it) or to nobody (a
// bearer code). Codes are normalised before they are stored or looked up:
// full-width characters folded (x/text/width), spaces and hyphens
// dropped, letters upper-cased; for generated codes the letters people
// confuse (O, I, L) read as the digits they look like.
//
// At the till the host turns presented codes into pricing.Coupon values
// with [Service.Present] (a refused code carries its reason into the
// pricing explanation), prices the basket, then redeems each applied
// coupon as a hold ([Service.Hold]) that it commits with the recorded
// purchase ([Service.Commit]) or releases ([Service.Release]). Each step
// is idempotent by the POS's own ID, and concurrent holds of a limited
// code never take more uses than it has: a hold counts against the limit
// until it is released.
//
// # Storage
//
// A [Store] follows clientele's storage contract: a code is a small
// versioned header (its counters) found through an index by code; the
// per-customer counters, the holds and the idempotency records are
// records of their own, keyed, so a redemption costs the same among ten
// codes or ten million. One [Store.Save] writes all of an operation
// atomically, compare-and-set on every versioned record. [NewMemoryStore]
// is the embedded default; package coupontest is the conformance kit.
//
// Codes never appear in errors, logs or String output; [Mask] shows the
// last four characters for receipts.
package coupon
