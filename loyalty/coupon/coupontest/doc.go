// Package coupontest is the conformance kit of coupon.Store: [Run] checks
// every sentence of the contract on stores a constructor returns, one
// subtest per rule, named after it, including the race that matters at a
// till: concurrent holds of a limited code never take more uses than it
// has.
//
// Adapter tests call it in one line:
//
//	func TestKit(t *testing.T) {
//		coupontest.Run(t, func(t *testing.T) coupon.Store { return newEmptyStore(t) })
//	}
package coupontest
