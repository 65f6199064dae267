// Package lane is an offline checkout lane on SQLite: it records sales and
// returns into its own customer and loyalty stores and a durable outbound
// queue while the central services are unreachable, and replays the queue
// into them when they come back.
//
// # Order of writes
//
// A fact is queued before it is applied: Sell and Return first write the
// fact to the outbox (one committed transaction), then record it through
// the lane's own services (each write idempotent by the fact's ID), then
// mark it applied. A crash anywhere leaves either nothing (the sale never
// happened) or a queued fact; Open re-applies every queued fact not marked
// applied, and the services' idempotency makes a second application write
// nothing. Sync sends the queued facts in queue order and marks each sent
// only after the central services took it; a crash between the two sends
// it again on the next Sync, which the central services answer from their
// idempotency records without writing anything twice.
//
// # What changed centrally meanwhile
//
// The lane holds a copy of its members; the central services hold the
// truth. Sync resolves differences by these rules, and reports each:
//
//   - A member merged centrally into another: the purchase is recorded
//     against the survivor (the customer service follows the merge), its
//     points are earned by the survivor, and the report names both. A
//     return of such a member's sale is clawed back from the survivor,
//     and reported the same way.
//   - Points spent at another store: an offline lane never redeems points
//     (it cannot know what was spent elsewhere); it only earns and claws
//     back. A return's clawback is settled centrally under the programme's
//     return policy against the member's central balance, which may hold
//     less than the lane took locally: the centre takes what the policy
//     allows (the rest forgiven, or owed as debt), and the report gives
//     what it took of what was owed.
//   - Points are the central service's: an earn replayed centrally is
//     computed there (the member's central tier and history decide), and
//     the lane's local figure was provisional.
//   - A member erased centrally, or a fact the central services refuse as
//     invalid: the item is marked sent with the refusal as its outcome
//     and reported; it is never retried nor dropped silently.
//
// # Stored value and coupons
//
// Top-ups, wallet payments (direct, or a hold then its commit or
// release), refunds, and coupon uses (hold, then commit or release) are
// queued the same way: TopUp, Pay, Hold, CommitHold, ReleaseHold, Refund,
// HoldCoupon, CommitCoupon and ReleaseCoupon write the fact to the outbox,
// apply it to the lane's copy of the wallet or code, and mark it applied;
// the lane's copy refuses what it cannot cover (insufficient funds, a code
// used up), and such a fact is not queued. Every request keeps its POS ID
// as its idempotency key on both sides, so a replay never takes money or a
// use twice. The centre decides each fact again on its own state, by
// these rules, each reported:
//
//   - A payment or hold the centre's balance no longer covers (the wallet
//     spent at another store meanwhile) is refused there, never
//     overdrawn: nothing is taken centrally, and the report says the sale
//     is unpaid by the amount. The hold's commit or release, and a refund
//     of the payment, are then refused as not held centrally.
//   - A coupon use past the code's limit (used up at other stores
//     meanwhile), or otherwise refused centrally, is reported: the
//     discount the lane gave stands, uncounted centrally; its commit is
//     refused as not held centrally.
//   - A top-up the centre refuses (its balance cap, counting top-ups made
//     elsewhere) is reported: the money taken at the till is owed back.
//   - A gift card the lane downloaded (DownloadCard) is paid from as a
//     wallet is, by the rules above. Its code must reach the centre with
//     the replay, so it is queued as the item's secret, apart from the
//     payload (which holds a keyed hash of it), and cleared when the item
//     is marked sent: the lane's file holds the codes of unsent card
//     payments only, and no report names one.
//
// A refused fact stays refused on a replay (the centre records business
// refusals under the request's key). Stored value does not follow a
// member merge: a wallet payment replays against the wallet it named.
//
// # Refresh
//
// The lane's view of its members is its own until Refresh copies the
// centre's back: every member's customer record and loyalty account,
// and the members they were merged into. It runs only when
// everything queued was sent (Sync first), so the centre's view holds
// every fact the lane recorded, and replaces the lane's copies in one
// transaction. Decisions after it use the fresh copy: a sale to a member
// merged centrally goes to the survivor on the lane too, a sale to an
// erased member is refused before it is queued, a return's local
// clawback sees points spent elsewhere, and an earn uses the member's
// central tier. The report lists each member whose points, merge or
// erasure differed. A lane should Sync and Refresh whenever the centre is
// reachable; cmd/lane does both every few sales.
//
// A Refresh costs what changed since the lane's last copy, not the
// history: the lane records where each copy left off (the central and
// lane versions of each loyalty account, wallet and code, and a wallet's
// last central entry), so an account or code unchanged on both sides
// costs one central read of its header; a changed wallet reads its
// entries after the mark, the payment records those name and its parts
// (one per credit); a changed code reads the members' counts of it; a
// changed loyalty account reads the lots and records that the saves on
// either side since the copy wrote, by ID and key, and the central entries
// after the copy's last, which both sides' change journals name
// (loyalty.ChangeFeed); only a first copy, or one from a central store
// without the journal, reads the account whole. The holds still open on the
// lane are found through the outbox's index of them
// (sqlite.Outbox.OpenHolds), not by reading the queue.
//
// Any other failure (the central services unreachable, a timeout) stops
// the replay at that item, which stays unsent for the next Sync: facts are
// sent in order, never skipped.
package lane
