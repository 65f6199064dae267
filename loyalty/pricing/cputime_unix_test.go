//go:build unix

package pricing_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's user+system CPU time. The benchmark reads it
// once before and once after its loop (a read per operation would cost
// more than a small basket's pricing), so cpu-ns/op counts pricing and
// the garbage collection it causes, and not the time the shared machine
// spends on other work, which inflates wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
