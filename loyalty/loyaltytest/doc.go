// Package loyaltytest checks loyalty storage adapters and the ledger
// invariants, the way testing/fstest checks file systems and
// testing/slogtest checks log handlers. Every "must" in the documentation
// of loyalty.Store is a subtest of Run.
//
// # Running the kit
//
// An adapter author calls Run from an ordinary test in the adapter's
// package, handing it a function that returns a new, empty store. Run calls
// it once per subtest, passing the subtest's *testing.T, so the function can
// register clean-up (drop a schema, close a connection) with t.Cleanup:
//
//	func TestStoreConformance(t *testing.T) {
//		db := openTestDatabase(t) // the adapter's own helper
//		loyaltytest.Run(t, func(t *testing.T) loyalty.Store {
//			schema := createSchema(t, db) // dropped again in t.Cleanup
//			return pgstore.NewLoyalty(db, schema)
//		})
//	}
//
// The in-memory store runs the kit the same way in its own tests:
//
//	loyaltytest.Run(t, func(*testing.T) loyalty.Store { return loyalty.NewMemoryStore() })
//
// Subtests are grouped by method and named after the rule they check, such
// as "Save/StaleVersionIsConflictWritingNothing" or
// "Accounts/AscendingMemberIDByteOrder", so a failure names the sentence of
// the contract the store breaks, and one rule can be run alone:
//
//	go test -run 'Conformance/Save/Concurrent' ./...
//
// The fixtures are real ledger histories (earns, redemptions, holds,
// adjustments, clawbacks, refunds) built with package ledger, written as
// the service writes them: the small header, the lots and ledger
// operations the ledger reports as changed (ledger.Account.Changes, the
// operations as RecordOperation records in JSON, which the service reads
// as well as the binary form it writes), the new entries and the
// request's record. So the kit runs CheckInvariants (through
// loyalty.LoadWhole) over what a store kept. The whole kit takes about a second against
// the in-memory store, also with -race; against a database it costs a few
// thousand small statements.
//
// # How the kit reads the contract
//
// Where store.go leaves a detail open, the kit settles it as follows, and an
// adapter that passes the kit agrees with the service on all of it:
//
//   - Errors are matched with errors.Is only, never by message, so a store
//     may wrap the sentinels of package loyalty with %w.
//   - A write succeeds only if the stored version is exactly
//     Write.Account.Version-1, so creating an account that exists is
//     ErrConflict (not ErrAlreadyExists: a SQL adapter maps its unique
//     violation on the account key to ErrConflict), and version 0 or a
//     skipped version is always ErrConflict.
//   - Operation keys are unique across the store, not per member. A write
//     that both names a stale version and reuses a key may fail with either
//     error; in every refused write nothing at all is written: no account,
//     no entry, no operation.
//   - The write is atomic for readers too: once GetOperation returns a
//     request's record, GetAccount and Entries show that request's write,
//     because the service replays a recorded request without re-reading.
//   - Stores may round times below the microsecond. The kit builds every
//     time with microsecond precision, in zones other than UTC, some before
//     1970, and compares with time.Time.Equal: the instant must survive,
//     the zone need not. The points ledger is compared through its
//     Snapshot with times in UTC, and entries with ledger.Entry.Equal.
//   - Decimals are compared with Equal: the value must survive, the scale
//     need not. A nil slice or map and an empty one are the same value.
//   - Operation.Result comes back byte for byte as written: a column type
//     that re-encodes JSON (PostgreSQL's jsonb) reorders keys and unescapes
//     characters, and an earn's result is a binary record (a zero byte
//     first, not UTF-8) that a text column refuses, so keep results as
//     bytes (bytea, BLOB).
//   - "Ascending MemberID order" is byte-wise order, as Go compares strings;
//     a SQL adapter needs a binary collation ("C") on the member ID column.
//     Member IDs are case-sensitive.
//   - Entries, Lots, SpendingLots, PendingLots, AllLots, GetRecords and
//     Records of a member without an account are empty, not an error.
//   - GetAccount's Points is ledger.FromHeader of the stored header: a
//     partial account holding no lots or operations.
//   - Lots are keyed by member and ID, records by member, kind and key: two
//     members' lots (or records) with one ID are two. A write replaces a
//     lot or record with the same key whole; it never merges fields.
//   - Record.Data comes back byte for byte, like Operation.Result: zero
//     bytes and bytes that are not UTF-8 included (bytea, BLOB).
//   - SpendingLots, PendingLots and Records order ties by ID or key in byte
//     order ("a-1" < "a_1" < "b", "B" < "a", "e" < "é"), as
//     ledger.SpendingOrder does; a SQL index on them needs a binary
//     collation. PendingLots includes lots due exactly at through.
//   - A lot whose Remaining is 0 leaves SpendingLots and PendingLots in
//     the write that empties it, and stays in Lots and AllLots.
//   - Zero lot times (PendingUntil of a lot released at once, ExpiresAt of
//     one that never expires, LapsedAt of one nothing lapsed from) come
//     back zero, not as the epoch; a lot's Lapsed and LapsedAt (what
//     expiry took from it, which a late return claws back) are kept like
//     its other fields.
//   - An iterator yields an error at most once, as its last value. A
//     cancelled context surfaces as an error matching context.Canceled, both
//     when the context is cancelled before the loop starts and when it is
//     cancelled between two items. A loop may break off early.
//   - The service saves accounts from inside an Accounts loop (tier reviews,
//     expiry runs), so an iterator must not hold a lock or a connection
//     that Save needs while it yields, and must still yield every account
//     once, in order, while the loop writes. Accounts created during an
//     iteration may or may not appear in it; a later iteration resumed
//     from the last ID sees every account after that ID.
//   - Concurrency cases start 16 goroutines at once against one store; a
//     store that serialises them all still passes, one that lets two of them
//     win a compare-and-set does not.
//
// Subtests do not call t.Parallel, so an adapter whose stores share one
// database need not isolate them from each other, only from earlier runs.
//
// Every iterator (Entries, Accounts, SpendingLots, PendingLots, AllLots,
// Records) is checked for a break, a cancel before and midway, and a Save
// of the listed member from inside the loop.
//
// # Counting reads
//
// Counting wraps a store and counts, per method, the calls and the items
// returned or yielded. With a Budget it fails an operation that calls a
// whole-history method (WholeHistory) or reads more lots or records than
// the bound, both as an error wrapping ErrOverBudget from the store and as
// a violation Check reports. The loyalty package's own tests use it to show
// that every operation on a member with thousands of purchases reads a
// bounded number of records.
//
// # Invariants
//
// CheckInvariants checks one stored account against its entries with the
// ledger's invariants (ledger.CheckInvariants and ledger.CheckAppendOnly),
// and its header against its lots (loyalty.ErrInconsistent).
// Hosts call it in their own tests after any sequence of service
// operations, passing the entries the previous call returned so that an
// entry changed in between is caught too.
package loyaltytest
