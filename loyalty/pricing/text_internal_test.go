package pricing

import (
	"testing"

	"github.com/clientele-go/clientele/internal/textcheck"
)

// label and id agree with textcheck on every string and limit.
func FuzzLabel(f *testing.F) {
	for _, s := range []string{"", "SKU-1", "tea\x7f", "a\tb", "茶叶", "\xff", "\u0085", "~ !", "x\x00"} {
		f.Add(s, 200)
		f.Add(s, 3)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if got, want := label(s, max), textcheck.Label(s, max); got != want {
			t.Fatalf("label(%q, %d) = %v, textcheck says %v", s, max, got, want)
		}
		if got, want := id(s), textcheck.ID(s); got != want {
			t.Fatalf("id(%q) = %v, textcheck says %v", s, got, want)
		}
	})
}
