package kit

import (
	"iter"
	"slices"
)

// The listings of the kits' broken stores: each breaks one promise of an
// iterator, the same way for every store.

// IgnoringBreak is seq calling yield again after yield returned false.
func IgnoringBreak[T any](seq iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			yield(v, err)
		}
	}
}

// Resorted is seq's values in the order cmp gives.
func Resorted[T any](seq iter.Seq2[T, error], cmp func(a, b T) int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var all []T
		for v, err := range seq {
			if err != nil {
				yield(v, err)
				return
			}
			all = append(all, v)
		}
		slices.SortStableFunc(all, cmp)
		for _, v := range all {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// Live reads list again after every value and yields the first value it
// has not yielded yet, so values saved inside the loop show up: a store
// that reads no snapshot.
func Live[T any](list func() iter.Seq2[T, error], id func(T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		seen := map[string]bool{}
		for {
			progressed := false
			for v, err := range list() {
				if err != nil {
					yield(v, err)
					return
				}
				if seen[id(v)] {
					continue
				}
				seen[id(v)], progressed = true, true
				if !yield(v, nil) {
					return
				}
				break
			}
			if !progressed {
				return
			}
		}
	}
}
