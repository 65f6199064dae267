package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/clientele-go/clientele/internal/jsondup"
	"github.com/clientele-go/clientele/internal/jsonstrict"
)

// MaxRulesJSON bounds the size of a rules document.
const MaxRulesJSON = 1 << 20

// ParseRules decodes rules from strict JSON and validates them: keys given
// twice, unknown keys (each at its path), trailing data and every
// validation problem are [*FieldError] values matching [ErrInvalid].
func ParseRules(data []byte) (Rules, error) {
	var r Rules
	if err := DecodeStrict(data, &r, "rules", MaxRulesJSON); err != nil {
		return Rules{}, err
	}
	if err := r.Validate(); err != nil {
		return Rules{}, err
	}
	return r, nil
}

// DecodeStrict decodes one JSON document of at most limit bytes into v,
// refusing keys given twice, keys v's type lacks and trailing data, each
// problem a [*FieldError] at its path; root names the document in errors.
// Coupon definitions decode with it too.
func DecodeStrict(data []byte, v any, root string, limit int) error {
	if len(data) > limit {
		return &FieldError{Field: root, Problem: fmt.Sprintf("document larger than %d bytes", limit)}
	}
	var keyErrs []error
	for _, path := range jsondup.Duplicates(data) {
		keyErrs = append(keyErrs, &FieldError{Field: path, Problem: "key given twice"})
	}
	for _, path := range jsonstrict.Unknown(data, v) {
		keyErrs = append(keyErrs, &FieldError{Field: path, Problem: "unknown field"})
	}
	if len(keyErrs) > 0 {
		return errors.Join(keyErrs...)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &FieldError{Field: root, Problem: "bad JSON: " + jsonProblem(err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return &FieldError{Field: root, Problem: "trailing data after the JSON value"}
	}
	return nil
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
	return "not a valid document"
}
