//go:build unix

package postgres_test

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of the whole process: the
// history benchmarks report it per operation beside wall time, since the
// shared machine's load inflates wall time far more than the CPU time the
// work needs, and a synchronous=FULL commit's disk wait is wall time only.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
