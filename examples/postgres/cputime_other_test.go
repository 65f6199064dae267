//go:build !unix

package postgres_test

import "time"

// processCPU is zero where getrusage is missing; the cpu-ns/op metric
// then reads 0.
func processCPU() time.Duration { return 0 }
