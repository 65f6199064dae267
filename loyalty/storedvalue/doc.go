// Package storedvalue is clientele's stored value (储值): members' prepaid
// wallets with paid and bonus money kept apart, payments at the till as
// hold then commit or release, refunds to the parts they came from,
// cash-out, gift cards found by unguessable codes, and punch cards (次卡).
//
// # Money
//
// A wallet holds money in one currency, in its minor unit, as parts: each
// top-up credits a paid part (what the customer paid) and a bonus part
// (what the programme's rule gave, 充值送), and a payment draws parts by
// the programme's declared SpendOrder (paid first, bonus first or
// proportional) and records what it drew, so a refund goes back to the
// same parts, paid to paid and bonus to bonus. Bonus may expire
// (Programme.BonusValidDays); cash-out of unused paid money, where the
// programme allows it, forfeits bonus by its CashOutRule. The balance is
// derived from an append-only ledger of entries; Audit checks that the
// entries, the parts and the header agree.
//
// # Till
//
// Every write is idempotent by the POS's request ID with a hash of the
// request: a replay returns the original result, the same ID with another
// request is ErrIdempotencyMismatch, and a request that failed for a
// business reason (insufficient funds, a refused top-up, a settled hold)
// stays failed. Hold reserves money at checkout; CommitHold or
// ReleaseHold settles it exactly once. A hold may carry an expiry
// (PayRequest.ExpiresAt): ReleaseExpiredHolds, a resumable batch sweep,
// releases the holds due, reading only those through the store's index of
// due records. Concurrent payments never overdraw: each is one
// compare-and-set write of the account.
//
// # Cards
//
// Gift cards are money accounts found by code: GenerateCode makes codes
// with 75 random bits and a check character, imported codes are taken as
// they are, and a store indexes only a keyed hash of a code. Cards are
// issued, activated at sale, paid from in parts and transferred into a
// wallet. A card may have a PIN, kept as a keyed hash; wrong PINs are
// counted and lock the card at MaxPINFailures until UnlockGiftCard. A
// wrong code does the work of a right one (the store reads a decoy card
// of the same shape) and gets the answer a wrong PIN gets. Punch cards hold N uses of a named service with a validity
// window, use and undo, and a transfer rule. Both live in the same store
// as wallets and share its ledger and idempotency: one contract, one kit.
//
// # Storage
//
// A [Store] keeps an account as a small versioned header beside its parts,
// records and entries, following the bounded-cost contract of loyalty: an
// operation reads one header, the first parts in spending order or parts
// and records by key, and saves once, whatever the account's history.
// [NewMemoryStore] is the embedded default; storedvaluetest.Run checks an
// adapter.
package storedvalue
