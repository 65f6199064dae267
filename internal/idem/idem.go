// Package idem fingerprints write requests for idempotency: a replay of a
// request is told from a different request that reuses its ID by comparing
// hashes, the way payment ledgers store an idempotency key with a hash of
// the request.
package idem

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
)

// ErrUnhashable reports a request that cannot be encoded (a time outside
// years 0-9999, say), which callers turn into a validation error.
var ErrUnhashable = errors.New("request cannot be encoded")

// Hash returns the SHA-256 of the request's JSON encoding, in hex. Callers
// normalise requests first (times in UTC to the microsecond); decimals
// encode without trailing zeros, so 1.5 and 1.50 hash alike.
func Hash(request any) (string, error) {
	b, err := json.Marshal(request)
	if err != nil {
		return "", ErrUnhashable
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
