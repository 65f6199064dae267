package kit

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Race runs fn(0), ..., fn(n-1) in n goroutines released together and
// returns their errors by index. Releasing them at once, rather than as
// they start, is what makes the calls overlap enough to expose a store
// that checks and then writes in two steps.
func Race(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// OneWinner requires exactly one nil error in errs and every other to
// match loser, and returns the winner's index.
func OneWinner(t *testing.T, errs []error, loser error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equalf(t, -1, winner, "both goroutine %d and goroutine %d won", winner, i)
			winner = i
			continue
		}
		require.ErrorIsf(t, err, loser, "goroutine %d lost with the wrong error", i)
	}
	require.NotEqual(t, -1, winner, "nobody won")
	return winner
}
