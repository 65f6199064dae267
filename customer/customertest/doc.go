// Package customertest checks that an implementation of customer.Store
// keeps the contract documented in package customer. Every "must" in the
// documentation of Store, CustomerStore, PurchaseStore and InteractionStore
// is a subtest here, in the way testing/fstest.TestFS checks an fs.FS and
// testing/slogtest checks a slog.Handler.
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
//		customertest.Run(t, func(t *testing.T) customer.Store {
//			schema := createSchema(t, db) // dropped again in t.Cleanup
//			return pgstore.New(db, schema)
//		})
//	}
//
// The in-memory store runs the kit the same way in its own tests:
//
//	customertest.Run(t, func(*testing.T) customer.Store { return customer.NewMemoryStore() })
//
// Subtests are grouped by method and named after the rule they check, such
// as "CreateCustomer/DuplicateIDIsAlreadyExists" or
// "AddReturn/ConcurrentSameVersionOneWins", so a failure names the sentence
// of the contract that the store breaks, and one rule can be run alone:
//
//	go test -run 'Conformance/AddReturn/' ./...
//
// The whole kit takes well under a second against the in-memory store, also
// with -race; its cost against a real database is a few thousand small
// statements.
//
// # How the kit reads the contract
//
// Where store.go leaves a detail open, the kit settles it as follows, and an
// adapter that passes the kit agrees with the service on all of it:
//
//   - Errors are matched with errors.Is only, never by message, so a store
//     may wrap the sentinels of package customer with %w.
//   - Stores may round times below the microsecond (many databases keep
//     microseconds). The kit therefore builds every time with microsecond
//     precision, in zones other than UTC, and compares with time.Time.Equal:
//     the instant must survive, the zone need not. Times one microsecond
//     apart must keep their order.
//   - "Ascending ID order" is byte-wise order, as Go compares strings; a SQL
//     adapter needs a binary collation ("C") on ID columns.
//   - An iterator yields an error at most once, as its last value. A
//     cancelled context surfaces as an error matching context.Canceled, both
//     when the context is cancelled before the loop starts and when it is
//     cancelled between two items.
//   - A nil slice or map and an empty one are the same value.
//   - Merge records are kept per attempt. The kit adds attempts in turn
//     (1, then 2 once 1 is abandoned, and so on), and races 16 adds of the
//     next attempt, half of them naming the attempt after it: exactly one
//     may succeed.
//   - The rules of the "Merge" group run customer.Service over the store,
//     as a host does: merges cut short at each of their writes and resumed
//     after the survivor was merged on, opposite merges raced and then
//     merged onward, and a few random sequences of Model. They check that
//     no identity is lost, so they catch a store whose every record and
//     write looks right alone but which drops what a merge parks (for
//     example one that keeps a merged customer as a bare redirect).
//     Model is exported, so an adapter can run longer sequences itself.
//   - Concurrency cases start 16 goroutines at once against one store; a
//     store that serialises them all still passes, one that lets two of them
//     win a compare-and-set does not.
//
// Subtests do not call t.Parallel, so an adapter whose stores share one
// database need not isolate them from each other, only from earlier runs.
package customertest
