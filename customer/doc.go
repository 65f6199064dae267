// Package customer keeps who a shop's customers are and what they did:
// profiles, identities (member number, phone, email, external IDs such as a
// WeChat union ID), consent per purpose and channel, purchases and returns,
// interactions, duplicate detection and merge, and export and erasure of
// personal data.
//
// A Service wraps a Store. The in-memory store is one line away:
//
//	shop := customer.NewService(customer.NewMemoryStore(), nil)
//
// A host with its own database implements Store and runs
// customertest.Run against it (see examples/postgres).
//
// # Identities and matching
//
// Contact data is normalised before it is stored or matched: phone numbers
// to E.164 with a default region (full-width digits folded, "0086" and
// "+86" alike; DefaultPhones knows mainland China's mobiles and landlines,
// and Options.Phones takes a full libphonenumber port), emails trimmed with
// the domain lower-cased, names NFKC-normalised and case-folded for
// matching only. Each identity belongs to at most one customer. Register
// refuses an identity another customer holds (ErrIdentityTaken) and
// reports likely duplicates (the same name plus the same birthday, phone
// tail, email match key or address) as a *DuplicateError, unless the
// caller insists.
//
// # Facts and idempotency
//
// Purchases and returns are immutable facts whose IDs come from the POS, so
// an offline lane can retry: replaying a request returns the original
// result and writes nothing, and a different request under the same ID is
// ErrIdempotencyMismatch. A return can never return more than was bought,
// even when two lanes return the same purchase at once.
//
// Registrations and consent changes carry a RequestID the lane makes and
// keeps before it submits: a retry returns the customer the registration
// created (not ErrIdentityTaken, not a second person) and appends no
// second consent entry. A profile update replayed with the version it read
// returns the update that landed.
//
// # Events
//
// Service.Writes returns the same writes with the events they caused
// (Change.Events): registered, profile updated, preferences set, consent
// granted or withdrawn, tagged, untagged, identity added or removed,
// merged, erased. A replay returns them again, so a host that crashed
// before publishing publishes on retry: at least once. Events hold IDs,
// kinds, purposes and channels, never personal data.
//
// # Limits
//
// Dates are accepted from 1850-01-01 to 2199-12-31 UTC wherever they enter
// (join dates, birthday years, purchase, return, interaction and consent
// times), so legacy placeholders such as 1900-01-01 work and a typo such as
// year 10000 is refused before it can make an Export unencodable. Amounts
// and quantities must be ones loyalty can compute with exactly (quantities
// to 6 decimals, at most 10^9 units and 10^12 minor units a purchase).
// Values beyond a range are ErrOutOfRange as well as ErrInvalid. IDs, SKUs,
// names, tags and member numbers are valid UTF-8 without control
// characters (no NUL); free text may hold line breaks but no other control
// characters.
//
// # Merges
//
// Merge folds a duplicate customer into a survivor in idempotent steps, so
// a merge cut short completes when called again. Each attempt to merge a
// duplicate leaves an audit record (MergeRecord). Of two merges racing in
// opposite directions at most one wins; the loser undoes what it did, and
// its record is kept, marked abandoned, so the duplicate can still be
// merged by a later attempt, into any survivor. Store.MergeAttempts lists
// every attempt.
//
// A merge detaches the duplicate tentatively, then decides: it commits
// the detach (Customer.CommittedMerge) unless the survivor's merges lead
// back to the duplicate, in which case it undoes it. Any call that meets
// an undecided detach (the opposite merge mid-way, or a merge cut short)
// decides it the same way before going on, so no merge waits on another
// and no identity stays parked. A merge resumed after its survivor was
// merged on gives the duplicate's identities and facts to the customer the
// survivor's merges end at. customertest.Model checks, under racing,
// resumed and onward merges, identity changes and erasures, that every
// identity stays found at the end of its owner's merges.
//
// # Privacy
//
// String, GoString, Format (every fmt verb) and slog output redact personal
// data in every type that holds it, and errors never quote a phone number,
// email or name. slog resolves LogValue only for an attribute's own value,
// so log lists element by element. Erasure tombstones an email's match key
// as well as the address, so "Nana.Ouyang+vip@Example.COM" erased also
// keeps "nana.ouyang@example.com" out. Export gathers everything held
// about a person; Erase removes personal data irreversibly and leaves
// keyed hashes (tombstones) so that a re-import does not resurrect them.
//
// # Errors
//
// Validation reports every problem at once: errors.Join of *FieldError
// values, each matching ErrInvalid. Contract errors (ErrNotFound,
// ErrConflict, ErrAlreadyExists, ErrIdempotencyMismatch, ErrIdentityTaken)
// are sentinels to match with errors.Is.
package customer
