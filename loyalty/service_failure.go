package loyalty

import (
	"errors"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A request that fails for a business reason (too few points, a coupon
// that cannot be used, a hold already closed) is recorded under its key
// like a success, so that its retry fails the same way even if the
// account changed meanwhile (DESIGN: a failed request stays failed). The
// record holds the failure's kind, its message and, for too few points,
// the figures, so the replayed error matches the same sentinels, reads
// the same and carries the same InsufficientPointsError.

// failureMagic opens a failure record (a zero byte first, like an earn
// record, so no JSON result is ever taken for one).
const failureMagic = "\x00fail1"

// Failure kinds, as recorded.
const (
	failInsufficient = "insufficient-points"
	failCoupon       = "coupon-unusable"
	failHoldClosed   = "hold-closed"
)

// failureRecord returns the record of err if it is a business failure to
// keep, and false for any other error (validation, conflicts, merges, the
// store's or the context's), which a retry may not repeat.
func failureRecord(err error) ([]byte, bool) {
	w := recWriter{b: append(make([]byte, 0, 64+len(err.Error())), failureMagic...)}
	var short *ledger.InsufficientPointsError
	switch {
	case errors.As(err, &short):
		w.str(failInsufficient)
		w.int(short.Requested)
		w.int(short.Available)
	case errors.Is(err, ErrCouponUnusable):
		w.str(failCoupon)
	case errors.Is(err, ledger.ErrHoldClosed):
		w.str(failHoldClosed)
	default:
		return nil, false
	}
	w.str(err.Error())
	return w.b, true
}

func isFailureRecord(raw []byte) bool {
	return len(raw) >= len(failureMagic) && string(raw[:len(failureMagic)]) == failureMagic
}

// replayedFailure is a recorded failure returned again: the original
// message, matching the original's sentinel (and type, for too few
// points).
type replayedFailure struct {
	msg string
	err error
}

func (e *replayedFailure) Error() string { return e.msg }
func (e *replayedFailure) Unwrap() error { return e.err }

// decodeFailure returns the error a failure record holds.
func decodeFailure(raw []byte) error {
	d := recReader{b: raw[len(failureMagic):]}
	var err error
	switch kind := d.str(); kind {
	case failInsufficient:
		err = &ledger.InsufficientPointsError{Requested: d.int(), Available: d.int()}
	case failCoupon:
		err = ErrCouponUnusable
	case failHoldClosed:
		err = ledger.ErrHoldClosed
	default:
		d.fail("unknown failure " + kind)
	}
	msg := d.str()
	if d.err == nil && len(d.b) > 0 {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return d.err
	}
	return &replayedFailure{msg: msg, err: err}
}
