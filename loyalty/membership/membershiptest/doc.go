// Package membershiptest is the conformance kit of membership.Store: Run
// checks every "must" of the contract, one subtest per rule on a fresh
// store; the kit's own tests prove each rule can fail with a broken store.
package membershiptest
