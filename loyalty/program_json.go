package loyalty

import (
	"errors"
	"fmt"
	"github.com/clientele-go/clientele/internal/jsonstrict"
	"io"
)

// MaxProgramJSON bounds the size of a programme document.
const MaxProgramJSON = 1 << 20

// ParseProgram decodes a programme from strict JSON (unknown fields and
// trailing data are errors) and validates it. Decoding errors match
// ErrInvalid; validation errors list every problem.
func ParseProgram(data []byte) (*Program, error) {
	// Keys given twice (encoding/json keeps the last without a word), keys
	// the programme does not have and values of the wrong type are refused,
	// each at its path.
	var p Program
	var errs []error
	for _, pr := range jsonstrict.Decode(data, &p, "program", MaxProgramJSON) {
		errs = append(errs, &FieldError{Field: pr.Path, Problem: pr.Problem})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

// LoadProgram reads a programme from r (see ParseProgram).
func LoadProgram(r io.Reader) (*Program, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxProgramJSON+1))
	if err != nil {
		return nil, fmt.Errorf("loyalty: reading program: %w", err)
	}
	return ParseProgram(data)
}
