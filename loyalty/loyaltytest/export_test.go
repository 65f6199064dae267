package loyaltytest

import "time"

// SetBlockTimeout shortens the kit's deadlock detector for the broken
// stores the kit's own tests run, and returns a function restoring it.
func SetBlockTimeout(d time.Duration) (restore func()) {
	old := blockTimeout
	blockTimeout = d
	return func() { blockTimeout = old }
}
