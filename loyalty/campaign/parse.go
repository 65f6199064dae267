package campaign

import (
	"errors"

	"github.com/clientele-go/clientele/internal/jsonstrict"
)

// MaxJSON bounds the size of a document ParseCampaign reads.
const MaxJSON = 1 << 20

// ParseCampaign reads a Campaign from strict JSON (keys given twice, unknown keys and
// trailing data are errors, each at its path) and validates it,
// reporting every problem at once.
func ParseCampaign(data []byte) (*Campaign, error) {
	if len(data) > MaxJSON {
		return nil, &FieldError{Field: "document", Problem: "larger than 1 MiB"}
	}
	var c Campaign
	problems, err := jsonstrict.Decode(data, &c)
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
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}
