package segment_test

import (
	"unsafe"

	"github.com/clientele-go/clientele/segment"
)

func unsafeSlice(first *segment.Facts, n int) []segment.Facts { return unsafe.Slice(first, n) }
