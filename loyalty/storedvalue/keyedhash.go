package storedvalue

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"sync"
)

// keyedHash is HMAC-SHA-256 under one key, its hashers pooled: a keyed
// hasher costs four allocations to make, and every code lookup makes
// three hashes (the code's key, the PIN's key, the empty PIN's key).
// Reset returns a pooled hasher to its keyed initial state.
type keyedHash struct {
	pool sync.Pool
}

func newKeyedHash(key []byte) *keyedHash {
	k := append([]byte(nil), key...)
	return &keyedHash{pool: sync.Pool{New: func() any { return hmac.New(sha256.New, k) }}}
}

// sum returns the hex HMAC of the parts joined by a zero byte.
func (k *keyedHash) sum(parts ...string) string {
	m := k.pool.Get().(hash.Hash)
	defer k.pool.Put(m)
	m.Reset()
	for i, p := range parts {
		if i > 0 {
			m.Write([]byte{0})
		}
		m.Write([]byte(p))
	}
	var buf [sha256.Size]byte
	return hex.EncodeToString(m.Sum(buf[:0]))
}
