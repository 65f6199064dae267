package loyalty

import (
	"errors"
	"fmt"
	"testing"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A failure record decodes to an error or reports itself malformed, never
// panics; one the service wrote decodes to an error matching the original.
func FuzzFailureRecord(f *testing.F) {
	for _, err := range []error{
		&ledger.InsufficientPointsError{Requested: 1500, Available: 1000},
		fmt.Errorf("coupon c1: %w", ErrCouponUnusable),
		ledger.ErrHoldClosed,
	} {
		rec, ok := failureRecord(err)
		if !ok {
			f.Fatal(err)
		}
		f.Add(rec)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !isFailureRecord(raw) {
			return
		}
		err := decodeFailure(raw)
		if err == nil {
			t.Fatal("a failure record decoded to no error")
		}
		if errors.Is(err, errRecord) {
			return
		}
		rec, ok := failureRecord(err)
		if !ok {
			t.Fatalf("%v is no business failure", err)
		}
		if again := decodeFailure(rec); again.Error() != err.Error() {
			t.Fatalf("%q became %q", err, again)
		}
	})
}
