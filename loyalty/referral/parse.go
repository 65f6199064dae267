package referral

import (
	"errors"

	"github.com/clientele-go/clientele/internal/jsonstrict"
)

// MaxJSON bounds the size of a document ParsePolicy reads.
const MaxJSON = 1 << 20

// ParsePolicy reads a Policy from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParsePolicy(data []byte) (*Policy, error) {
	if len(data) > MaxJSON {
		return nil, &FieldError{Field: "document", Problem: "larger than 1 MiB"}
	}
	var p Policy
	problems, err := jsonstrict.Decode(data, &p)
	if err != nil {
		return nil, &FieldError{Field: "document", Problem: err.Error()}
	}
	if len(problems) > 0 {
		errs := make([]error, len(problems))
		for i, p := range problems {
			errs[i] = &FieldError{Field: p.Path, Problem: p.Why}
		}
		return nil, errors.Join(errs...)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}
