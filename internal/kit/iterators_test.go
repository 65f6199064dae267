package kit_test

import (
	"context"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/kit"
)

// counting yields 1, 2, 3, then the context's error if it is done by the
// time each value is due, as a well-behaved store iterator does.
func counting(ctx context.Context) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := 1; i <= 3; i++ {
			if err := ctx.Err(); err != nil {
				yield(0, err)
				return
			}
			if !yield(i, nil) {
				return
			}
		}
	}
}

func TestCollectReadsEveryValue(t *testing.T) {
	assert.Equal(t, []int{1, 2, 3}, kit.Collect(t, counting(t.Context())))
}

func TestIteratorChecksPassAWellBehavedIterator(t *testing.T) {
	kit.RequireEarlyBreak(t, counting(t.Context()))
	kit.RequireCancelledBefore(t, counting)
	kit.RequireCancelledMidway(t, counting)
}
