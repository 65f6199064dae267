package customer

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// requestHash fingerprints a write request so a replay can be told from a
// different request that reuses the ID. Requests are normalised first
// (times in UTC to the microsecond), and decimals marshal without trailing
// zeros, so 1.5 and 1.50 hash alike.
func requestHash(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%w: request cannot be encoded", ErrInvalid)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
