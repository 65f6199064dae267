package kit_test

import (
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clientele-go/clientele/internal/kit"
)

var errLost = errors.New("lost")

func TestRaceReturnsEveryErrorByIndex(t *testing.T) {
	var claimed atomic.Bool
	errs := kit.Race(16, func(int) error {
		if claimed.CompareAndSwap(false, true) {
			return nil
		}
		return errLost
	})
	require.Len(t, errs, 16)
	winner := kit.OneWinner(t, errs, errLost)
	assert.NoError(t, errs[winner])
}

func TestRaceRunsEachIndexOnce(t *testing.T) {
	var seen [8]atomic.Int32
	errs := kit.Race(len(seen), func(i int) error {
		seen[i].Add(1)
		if i == 3 {
			return errLost
		}
		return nil
	})
	for i := range seen {
		assert.Equalf(t, int32(1), seen[i].Load(), "fn(%d)", i)
	}
	assert.ErrorIs(t, errs[3], errLost)
	assert.NoError(t, errs[0])
}
