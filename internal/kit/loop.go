package kit

import (
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// SaveInsideLoop ranges over list (seeded values) and calls save with
// each value from inside the loop, as a batch run saves as it reads. It
// fails the test if a save fails, if the listing yields more than seeded
// values (what was saved inside the loop showed up), or if the loop does
// not end within timeout (the listing held what Save needs).
func SaveInsideLoop[T any](t *testing.T, list iter.Seq2[T, error], seeded int, timeout time.Duration, save func(T) error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { // reports through done only: the test may be over when it ends
		done <- func() error {
			n := 0
			for v, err := range list {
				if err != nil {
					return err
				}
				if n++; n > seeded {
					return fmt.Errorf("yielded %d values, %d seeded: saves inside the loop showed up", n, seeded)
				}
				if err := save(v); err != nil {
					return fmt.Errorf("save inside the loop: %w", err)
				}
			}
			return nil
		}()
	}()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(timeout):
		t.Fatal("a save inside the listing's loop blocked")
	}
}
