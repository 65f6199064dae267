package loyalty

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/clientele-go/clientele/internal/jsondup"
	"github.com/clientele-go/clientele/internal/jsonstrict"
	"io"
)

// MaxProgramJSON bounds the size of a programme document.
const MaxProgramJSON = 1 << 20

// ParseProgram decodes a programme from strict JSON (unknown fields and
// trailing data are errors) and validates it. Decoding errors match
// ErrInvalid; validation errors list every problem.
func ParseProgram(data []byte) (*Program, error) {
	if len(data) > MaxProgramJSON {
		return nil, &FieldError{Field: "program", Problem: "document larger than 1 MiB"}
	}
	// Keys given twice (encoding/json keeps the last without a word) and
	// keys the programme does not have are refused, each at its path.
	var keyErrs []error
	for _, path := range jsondup.Duplicates(data) {
		keyErrs = append(keyErrs, &FieldError{Field: path, Problem: "key given twice"})
	}
	for _, path := range jsonstrict.Unknown(data, (*Program)(nil)) {
		keyErrs = append(keyErrs, &FieldError{Field: path, Problem: "unknown field"})
	}
	if len(keyErrs) > 0 {
		return nil, errors.Join(keyErrs...)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Program
	if err := dec.Decode(&p); err != nil {
		return nil, &FieldError{Field: "program", Problem: "bad JSON: " + jsonProblem(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &FieldError{Field: "program", Problem: "trailing data after the JSON object"}
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

// jsonProblem words a decoding error without quoting the input's values.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	}
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}
