// Package kit holds the store-independent machinery of the storage
// conformance kits (customer/customertest, loyalty/loyaltytest and
// feedback/feedbacktest): the rule type and the runner that checks each
// rule on a fresh store, the helpers that race goroutines against one
// compare-and-set, the checks every iterator of a store must pass (early
// break, cancellation before and midway), and the runner that proves a kit
// fails deliberately broken stores by running them in a child process.
//
// Everything is generic over the store type S, so each kit keeps its own
// Store interface and its own rules; only the machinery lives here. The
// package is internal: its API serves the kits, not their users.
package kit
