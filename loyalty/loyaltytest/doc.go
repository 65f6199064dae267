// Package loyaltytest checks loyalty storage adapters and the ledger
// invariants, the way testing/fstest checks file systems.
//
// An adapter author runs the conformance kit from a test of their own:
//
//	func TestMyStore(t *testing.T) {
//		loyaltytest.Run(t, func(t *testing.T) loyalty.Store { return newMyStore(t) })
//	}
//
// and can call CheckInvariants after any sequence of service operations to
// check that the stored account and its entries still agree.
package loyaltytest
