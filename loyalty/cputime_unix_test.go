//go:build unix

package loyalty

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of the whole process. The
// benchmarks report it per operation next to wall time because the shared
// build machine is often oversubscribed, which inflates wall time but not
// (much) the CPU time the work itself needs.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
