// Package ledger is the accounting core of one member's loyalty points
// account: an append-only ledger of entries over lots of points, as a pure
// value type. It has no storage, no clock and no goroutines: every
// operation takes its time as an argument and returns the new Account and
// the entries it appended, leaving the receiver unchanged, so a failed
// operation changes nothing and the caller (the loyalty service) decides
// what to persist, with Account.Version for optimistic concurrency.
//
// # Lots and entries
//
// Every earn creates a Lot with its own expiry (ExpiresAt, zero for never)
// and release time (PendingUntil). Pending points are not spendable until
// released, by Release (the host decides) or ReleaseDue (every lot whose
// PendingUntil has come). Spending (Redeem, Hold, negative Adjust, debt
// payoff, clawback beyond the purchase's own lots) draws released,
// unexpired, unheld points from the lots that expire soonest first;
// never-expiring lots come last; ties go to the older lot, then the lower
// lot ID. Each Entry records in its Draws exactly which lots it changed and
// by how much, so the balance can always be rebuilt from the entries:
//
//	points in lots = Σ Entry.Points, pending = Σ Entry.Pending,
//	held = Σ Entry.Held, debt = Σ Entry.Debt,
//	available = points - pending - held.
//
// Entries are never changed; a correction (a refund of a redemption, a
// clawback of an earn, a released hold, a merge) is a new entry naming the
// entry it corrects in Corrects. CheckInvariants and CheckAppendOnly check
// all of this for an account and its history; the loyalty test kit
// re-exports them for hosts.
//
// # Expiry
//
// The views (Available, Pending, ExpiringBy, Balance) treat a lot past its
// expiry as expired at once, even before Expire records it, so no
// operation can spend points that are gone. Expire(at) records the expiry
// (one entry per lot) and is idempotent. A hold protects the points it
// reserved from expiry until it ends; points given back to an expired lot
// (a refund, a released hold) expire at once, in an expire entry of their
// own, so a refund never resurrects expired points nor takes more from
// the member than the expiry did.
//
// # Idempotency
//
// Every operation carries its own ID (lot, redemption, hold, return,
// refund, adjustment). Replaying an operation with the same ID and payload
// returns the account unchanged and no entries; the same ID with another
// payload is ErrIdempotencyMismatch. The payload is every argument but the
// operation's time (a retry may carry a later one), except for an earn,
// whose time is part of the lot it creates. A hold ends exactly once:
// committing a committed hold or releasing a released one is a no-op, the
// other way round is ErrHoldClosed.
//
// # Returns
//
// ClawBack takes back what a returned purchase earned under one of three
// policies (OnlyPending, WithinBalance, AllowDebt); debt from AllowDebt is
// paid first from points that become available later. RefundRedemption
// gives points spent on a returned order back to the exact lots they came
// from, latest draw first.
//
// # Storage
//
// Account.Snapshot turns an account into plain data (it marshals to JSON
// as is) and FromSnapshot restores and validates it; the entries each
// operation returns go to the store's own append-only table. A store
// writes the new snapshot only if the stored Version is still the one the
// operation started from, so two lanes spending the same points cannot
// both succeed: the loser re-reads and retries.
//
// # Cost
//
// Lots and records live in persistent balanced trees: an operation copies
// only the tree paths it touches, spending walks the lots from the soonest
// expiry and stops when it has enough, and fully spent lots leave the
// spending index (they stay findable by ID for refunds). An operation costs
// O(k log n) for the k lots it touches among n, independent of the history.
package ledger
