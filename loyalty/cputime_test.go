package loyalty

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/cputime"
)

// CPULoop runs b.Loop and reports the process CPU time per operation as
// cpu-ns/op (see cputime.Process). It is exported for the external test
// package's benchmarks only (this is a test file).
func CPULoop(b *testing.B, body func()) {
	CPULoopPrepared(b, nil, func(int) { body() })
}

// CPULoopPrepared is CPULoop with a step before each operation that is
// left out of both the time and the CPU time (recording the purchase an
// earn then earns on, say).
func CPULoopPrepared(b *testing.B, prepare, body func(i int)) {
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	n := 0
	for b.Loop() {
		if prepare != nil {
			b.StopTimer()
			prepare(n)
			b.StartTimer()
		}
		c0 := cputime.Process()
		body(n)
		cpu += cputime.Process() - c0
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(cpu)/float64(n), "cpu-ns/op")
	}
}
