// Package referral runs member-get-member referrals (老带新): each member
// has a referral code; a friend who registers with it is bound to the
// referrer; when the friend's first qualifying purchase has earned, both
// get the programme's referral bonuses (the loyalty event-bonus rules of
// loyalty.EventReferrer and loyalty.EventReferee); and a return of that
// purchase within the return window takes the bonuses back.
//
// "First" is by purchase time, then purchase ID, not by arrival: offline
// lanes deliver purchases and returns late and out of order, and a late
// purchase that qualifies and comes earlier takes over as the qualifying
// one (the bonuses stay paid once; a takeback caused by returns of the
// purchase it replaces is undone), and only returns made within the
// window count. Whatever the arrival order and replays, the referral ends
// in the status, qualifying purchase and points it would have reached had
// the facts arrived in the order they happened (first.go); the ledger
// dates of the bonuses and of a takeback are those of the calls that
// decided them, and MaxRewarded is spent in the order friends qualify on
// arrival.
//
// Referral codes are random, unguessable (8 symbols of Crockford's base
// 32, 40 bits) with a check symbol (mod 37), looked up through an index,
// and never appear in errors or logs. Binding refuses self-referrals: the
// same customer (after merges), a shared identity (phone, email, external
// ID) or, unless the policy allows it, a shared address; and limits cap
// the bindings per period and the rewarded referrals per referrer.
//
// Every step is idempotent and resumable, following the bounded-cost
// store contract: a small versioned header per referrer, a record per
// friend, a code index; each operation reads and writes one header and
// one friend record. The reward and its clawback are decided and recorded
// first, then carried out through the loyalty service under fixed keys,
// so a retry completes what a crash interrupted and never pays twice.
package referral
