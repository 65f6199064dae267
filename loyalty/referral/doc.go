// Package referral runs member-get-member referrals (老带新): each member
// has a referral code; a friend who registers with it is bound to the
// referrer; when the friend's first qualifying purchase has earned, both
// get the programme's referral bonuses (the loyalty event-bonus rules of
// loyalty.EventReferrer and loyalty.EventReferee); and a return of that
// purchase within the return window takes the bonuses back.
//
// Arrival order never changes the outcome. Offline lanes deliver
// bindings, purchases and returns late and out of order, so every decision
// follows from the recorded facts:
//
//   - "First" is by purchase time, then purchase ID: a late purchase that
//     qualifies and comes earlier takes over as the qualifying one (the
//     bonuses stay paid once; a takeback caused by returns of the purchase
//     it replaces is undone). See first.go.
//   - The returns that count are those of the qualifying purchase made
//     within the return window, read from the customer facts whichever
//     return's call arrived. See returns.go.
//   - MaxRewarded goes to the first friends by their qualifying purchases'
//     (time, ID): a friend whose purchase came earlier takes the slot of
//     one paid before it arrived, whose bonuses are then taken back. A
//     friend whose purchase is returned keeps its slot. See slots.go.
//   - A binding that arrives after the friend's purchases and returns
//     finds them in the customer facts (bind_facts.go, with its cost).
//
// Whatever the arrival order and replays, each friend ends with the
// status, qualifying purchase, returns and net points, and the referrer
// with the rewarded friends, it would have had if the facts had arrived
// in the order they happened. The ledger entries are dated by the facts:
// the bonuses by the qualifying purchase, a takeback by the return that
// first left the purchase under the minimum (in return time order), a
// displaced friend's takeback and a restore by the entry they reverse.
// The dates match the in-order run whenever the facts are recorded in the
// customer domain before the calls that decide on them. They can differ
// when a fact is itself recorded after a decision was carried out: a
// bonus already paid keeps the date of the purchase it was paid for when
// an earlier one takes over, and a takeback keeps the date of the
// crossing return among those recorded when it was decided. Each is an
// entry under a fixed key whose date is part of the request: re-dating it
// means reversing it and writing it again, which adds entries rather than
// making the two ledgers equal. For the same reason a friend displaced
// from its slot keeps its bonus and the takeback in its ledger (netting
// to nothing at the bonus's instant), where the in-order run has neither.
// Two more things follow from the time a decision is carried out, not
// from the facts: a takeback takes only the points the member has
// available (the rest is a recorded shortfall), and the bonus is quoted
// by the event-bonus rules at the date of the purchase it was paid for.
// Binding refusals (the per-period limit) are decided when the binding
// arrives: binding is the host's registration call, answered there.
//
// Referral codes are random, unguessable (8 symbols of Crockford's base
// 32, 40 bits) with a check symbol (mod 37), looked up through an index,
// and never appear in errors or logs. Binding refuses self-referrals: the
// same customer (after merges), a shared identity (phone, email, external
// ID) or, unless the policy allows it, a shared address; and limits cap
// the bindings per period and the rewarded referrals per referrer.
//
// Every step is idempotent and resumable, following the bounded-cost
// store contract: a small versioned header per referrer (its slots
// bounded by MaxRewarded), a record per friend, a code index; an operation
// reads and writes one header and one friend record, and a second friend
// record when it displaces one. The reward and its clawback are decided
// and recorded first, then carried out through the loyalty service under
// fixed keys, so a retry completes what a crash interrupted and never
// pays twice; a displacement stays listed in the header until it is
// carried out, so a binding to the referrer or a call on any of its
// friends' qualifying purchases completes it too.
package referral
