package storedvalue

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"testing"
)

// FuzzKeyedHash: a pooled hasher, reused in any order and from several
// goroutines, gives what a fresh HMAC of the joined parts gives.
func FuzzKeyedHash(f *testing.F) {
	f.Add([]byte("secret"), "7KQ2M9XD40RBTZ5H", "2468")
	f.Add([]byte{}, "", "")
	f.Add([]byte("k"), "a\x00b", "\x00")
	k := map[string]*keyedHash{}
	f.Fuzz(func(t *testing.T, key []byte, a, b string) {
		h := k[string(key)]
		if h == nil {
			h = newKeyedHash(key)
			k[string(key)] = h
		}
		want := func(parts ...string) string {
			m := hmac.New(sha256.New, key)
			for i, p := range parts {
				if i > 0 {
					m.Write([]byte{0})
				}
				m.Write([]byte(p))
			}
			return hex.EncodeToString(m.Sum(nil))
		}
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				if got := h.sum(a); got != want(a) {
					t.Errorf("sum(a) = %s, want %s", got, want(a))
				}
				if got := h.sum(a, b); got != want(a, b) {
					t.Errorf("sum(a, b) = %s, want %s", got, want(a, b))
				}
			})
		}
		wg.Wait()
	})
}
