//go:build !unix

package storedvaluetest

import "time"

// processCPU is unknown off Unix; ReportCPU then reports nothing.
func processCPU() time.Duration { return 0 }
