package referral

import "github.com/clientele-go/clientele/internal/jsonstrict"

// MaxJSON bounds the size of a document ParsePolicy reads.
const MaxJSON = 1 << 20

// ParsePolicy reads a Policy from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParsePolicy(data []byte) (*Policy, error) {
	var p Policy
	if err := jsonstrict.Load(data, MaxJSON, &p, fieldError); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func fieldError(path, problem string) error { return &FieldError{Field: path, Problem: problem} }
