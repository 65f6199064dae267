package loyalty

import "testing"

// CPULoop runs b.Loop and reports the process CPU time per operation as
// cpu-ns/op (see processCPU). It is exported for the external test
// package's benchmarks only (this is a test file).
func CPULoop(b *testing.B, body func()) {
	b.ReportAllocs()
	b.ResetTimer()
	c0, n := processCPU(), 0
	for b.Loop() {
		body()
		n++
	}
	if n > 0 {
		b.ReportMetric(float64(processCPU()-c0)/float64(n), "cpu-ns/op")
	}
}
