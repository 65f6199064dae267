package membership

import "github.com/clientele-go/clientele/internal/jsonstrict"

// MaxJSON bounds the size of a document ParsePlan reads.
const MaxJSON = 1 << 20

// ParsePlan reads a Plan from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParsePlan(data []byte) (*Plan, error) {
	return jsonstrict.Parse[Plan](data, MaxJSON, fieldError)
}

func fieldError(path, problem string) error { return &FieldError{Field: path, Problem: problem} }
