package jsonstrict

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/clientele-go/clientele/internal/jsondup"
)

// Problem is one key of a document refused by Decode, at its path.
type Problem struct {
	Path, Why string
}

// ErrSyntax is Decode's error for a document that is not one JSON value
// of v's shape; its text never quotes the document.
var ErrSyntax = errors.New("not one JSON object of the expected shape")

// decodeErr keeps the errors of a type's own UnmarshalJSON (a rule tree's
// field errors, say), which say what is wrong at which path, and turns
// encoding/json's own into ErrSyntax.
func decodeErr(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return ErrSyntax
	}
	if strings.HasPrefix(err.Error(), "json: ") {
		return ErrSyntax // unknown field, invalid use of a type...
	}
	return err
}

// Decode decodes data into v strictly: keys given twice and keys v's type
// has no field for are returned as problems (nothing decoded), and a
// syntax or type error or trailing data is ErrSyntax, and the error of a
// type's own UnmarshalJSON is returned as it is. The packages that
// load configuration as data wrap both in their own field errors.
func Decode(data []byte, v any) ([]Problem, error) {
	var ps []Problem
	for _, p := range jsondup.Duplicates(data) {
		ps = append(ps, Problem{p, "key given twice"})
	}
	for _, p := range Unknown(data, v) {
		ps = append(ps, Problem{p, "unknown field"})
	}
	if len(ps) > 0 {
		return ps, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, decodeErr(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, ErrSyntax
	}
	return nil, nil
}

// Load is Decode for a configuration document of at most max bytes, with
// every problem reported through newErr(path, problem) and joined: the
// package's own field error, so callers match their own sentinel.
func Load(data []byte, max int, v any, newErr func(path, problem string) error) error {
	if len(data) > max {
		return newErr("document", fmt.Sprintf("larger than %d bytes", max))
	}
	problems, err := Decode(data, v)
	if err != nil {
		return newErr("document", err.Error())
	}
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = newErr(p.Path, p.Why)
	}
	return errors.Join(errs...)
}
