package cputime

import (
	"runtime"
	"testing"
	"time"
)

// Work done by the process shows in its CPU time.
func TestProcessCountsWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("no process CPU time on this system")
	}
	start := Process()
	deadline := time.Now().Add(30 * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		x++
	}
	if used := Process() - start; used <= 0 {
		t.Fatalf("CPU time did not grow over a busy loop of %d turns: %v", x, used)
	}
}
