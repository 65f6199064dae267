package campaign

import "github.com/clientele-go/clientele/internal/jsonstrict"

// MaxJSON bounds the size of a document ParseCampaign reads.
const MaxJSON = 1 << 20

// ParseCampaign reads a Campaign from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParseCampaign(data []byte) (*Campaign, error) {
	return jsonstrict.Parse[Campaign](data, MaxJSON, fieldError)
}

func fieldError(path, problem string) error { return &FieldError{Field: path, Problem: problem} }
