package coupon

import (
	"bytes"
	"errors"

	"github.com/clientele-go/clientele/loyalty/pricing"
)

// A recorded failure is a result that starts with a zero byte, which no
// JSON result does, then the failure's name: a refusal's reason or
// "hold-closed". A retry of a refused hold stays refused, even after a
// release frees a use: the POS makes a new hold ID for a new attempt.
const failurePrefix = "\x00fail:"

func encodeFailure(err error) ([]byte, bool) {
	var re *RefusedError
	switch {
	case errors.As(err, &re):
		return []byte(failurePrefix + string(re.Reason)), true
	case errors.Is(err, ErrHoldClosed):
		return []byte(failurePrefix + "hold-closed"), true
	}
	return nil, false
}

func decodeFailure(b []byte) (error, bool) {
	rest, ok := bytes.CutPrefix(b, []byte(failurePrefix))
	if !ok {
		return nil, false
	}
	if string(rest) == "hold-closed" {
		return ErrHoldClosed, true
	}
	return &RefusedError{Reason: pricing.Reason(rest)}, true
}
