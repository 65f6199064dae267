package referral

import "github.com/clientele-go/clientele/internal/jsonstrict"

// MaxJSON bounds the size of a document ParsePolicy reads.
const MaxJSON = 1 << 20

// ParsePolicy reads a Policy from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParsePolicy(data []byte) (*Policy, error) {
	return jsonstrict.Parse[Policy](data, MaxJSON, fieldError)
}

func fieldError(path, problem string) error { return &FieldError{Field: path, Problem: problem} }
