package kit

import (
	"iter"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func strs(xs ...string) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for _, x := range xs {
			if !yield(x, nil) {
				return
			}
		}
	}
}

func TestBrokenListings(t *testing.T) {
	assert.Equal(t, []string{"a", "B", "c"}, Collect(t, Resorted(strs("c", "B", "a"), func(a, b string) int {
		return strings.Compare(strings.ToLower(a), strings.ToLower(b))
	})))
	// Live shows what is added while the loop runs.
	store := []string{"a", "b"}
	var got []string
	for v, err := range Live(func() iter.Seq2[string, error] { return strs(store...) }, func(s string) string { return s }) {
		assert.NoError(t, err)
		got = append(got, v)
		if v == "a" {
			store = append(store, "c")
		}
	}
	assert.Equal(t, []string{"a", "b", "c"}, got)
	// IgnoringBreak calls yield after a break, which range reports by panicking.
	assert.Panics(t, func() {
		for range IgnoringBreak(strs("a", "b")) {
			break
		}
	})
	assert.True(t, slices.Equal(Collect(t, IgnoringBreak(strs("a", "b"))), []string{"a", "b"}))
}
