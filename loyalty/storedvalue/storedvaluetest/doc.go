// Package storedvaluetest is the conformance kit of storedvalue.Store, in
// the manner of testing/fstest and go-cloud's drivertest: one function,
// Run, checks every "must" of the Store's documentation against a store,
// each rule as a subtest named after the method (or topic) and the rule,
// on a fresh store. A store adapter's tests call it:
//
//	func TestConformance(t *testing.T) {
//		storedvaluetest.Run(t, func(t *testing.T) storedvalue.Store { return newEmptyStore(t) })
//	}
//
// The kit's own tests prove that each rule can fail: they run it against
// stores broken on purpose, one sentence each, and require that each fails
// the rule it breaks.
package storedvaluetest
