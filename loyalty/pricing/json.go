package pricing

import (
	"errors"

	"github.com/clientele-go/clientele/internal/jsonstrict"
)

// MaxRulesJSON bounds the size of a rules document.
const MaxRulesJSON = 1 << 20

// ParseRules decodes rules from strict JSON and validates them: keys given
// twice, unknown keys (each at its path), trailing data and every
// validation problem are [*FieldError] values matching [ErrInvalid].
func ParseRules(data []byte) (Rules, error) {
	var r Rules
	if probs := jsonstrict.Decode(data, &r, "rules", MaxRulesJSON); len(probs) > 0 {
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = fields.New(p.Path, p.Problem)
		}
		return Rules{}, errors.Join(errs...)
	}
	if err := r.Validate(); err != nil {
		return Rules{}, err
	}
	return r, nil
}
