// Package clockskew holds the one bound every intake puts on timestamps
// from the future.
//
// A POS lane stamps what it sends with its own clock, and a lane whose
// clock runs ahead would otherwise push deadlines, cool-downs and due
// dates out by as much as it is wrong. Late timestamps are normal (an
// offline lane syncs hours later); early ones are only ever clock error,
// which NTP keeps to seconds. A timestamp more than MaxAhead after the
// receiving service's clock is refused as invalid input, in every package
// that takes one in, so a lane is either accepted everywhere or nowhere.
package clockskew

import "time"

// MaxAhead is how far after the receiving service's clock a timestamp
// from a lane may lie: five minutes, the tolerance Kerberos and most
// signed-request schemes allow for clock disagreement between machines.
const MaxAhead = 5 * time.Minute

// Ahead reports whether t lies more than MaxAhead after now. A zero t
// (meaning "now" in every intake) is never ahead.
func Ahead(t, now time.Time) bool {
	return !t.IsZero() && t.After(now.Add(MaxAhead))
}
