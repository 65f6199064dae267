package metrics

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// fields and anything after the value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// ParseSatisfactionOptions decodes options from JSON strictly (unknown
// fields and trailing data are errors) and checks them, reporting every
// problem. Zero fields keep their defaults, as in a Go literal.
func ParseSatisfactionOptions(data []byte) (SatisfactionOptions, error) {
	var o SatisfactionOptions
	if err := decodeStrict(data, &o); err != nil {
		return SatisfactionOptions{}, fieldErr(ErrInvalidArgument, "options", "JSON", "%v", err)
	}
	if _, err := o.resolve(); err != nil {
		return SatisfactionOptions{}, err
	}
	return o, nil
}
