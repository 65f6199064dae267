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
// # Refresh
//
// The lane's view of its members is its own until Refresh copies the
// centre's back: every member's customer record and whole loyalty
// account, and the members they were merged into. It runs only when
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
// Any other failure (the central services unreachable, a timeout) stops
// the replay at that item, which stays unsent for the next Sync: facts are
// sent in order, never skipped.
package lane
