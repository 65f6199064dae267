package membership

import "github.com/clientele-go/clientele/internal/jsonstrict"

// MaxJSON bounds the size of a document ParsePlan reads.
const MaxJSON = 1 << 20

// ParsePlan reads a Plan from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParsePlan(data []byte) (*Plan, error) {
	var p Plan
	if err := jsonstrict.Load(data, MaxJSON, &p, fieldError); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func fieldError(path, problem string) error { return &FieldError{Field: path, Problem: problem} }
