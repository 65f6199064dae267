package jsonstrict

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/clientele-go/clientele/internal/jsondup"
)

// Unknown returns the path of every object key in data that the Go type
// of v (a value or pointer) has no field for, in document order. Keys
// match fields as encoding/json matches them: by the name in the json tag,
// else the field name, case-insensitively, embedded structs' fields
// included. Maps accept any key; values of interface type, and types with
// their own UnmarshalJSON, accept anything. It stops quietly at the first
// syntax error, which the caller's own decoding reports.
func Unknown(data []byte, v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out []string
	_ = walk(dec, t, "", &out)
	return out
}

var unmarshaler = reflect.TypeFor[json.Unmarshaler]()

func walk(dec *json.Decoder, t reflect.Type, path string, out *[]string) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	opaque := t == nil || t.Kind() == reflect.Interface || reflect.PointerTo(t).Implements(unmarshaler)
	switch tok {
	case json.Delim('{'):
		var fields map[string]reflect.Type
		if !opaque && t.Kind() == reflect.Struct {
			fields = structFields(t)
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := kt.(string)
			child := join(path, k)
			var ct reflect.Type
			switch {
			case opaque:
			case t.Kind() == reflect.Map:
				ct = t.Elem()
			case t.Kind() == reflect.Struct:
				ft, ok := lookup(fields, k)
				if !ok {
					*out = append(*out, child)
				}
				ct = ft
			}
			if err := walk(dec, ct, child, out); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	case json.Delim('['):
		var et reflect.Type
		if !opaque && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			et = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walk(dec, et, fmt.Sprintf("%s[%d]", path, i), out); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	return nil
}

func join(path, key string) string {
	if key == "" {
		key = `""`
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// structFields maps the JSON names of t's fields to their types.
func structFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			for k, v := range structFields(ft) {
				if _, ok := m[k]; !ok {
					m[k] = v
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

// lookup finds a key as encoding/json does: exactly, else ignoring case.
func lookup(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	if t, ok := fields[key]; ok {
		return t, true
	}
	for name, t := range fields {
		if strings.EqualFold(name, key) {
			return t, true
		}
	}
	return nil, false
}

// Problem is one problem Decode found, at its path.
type Problem struct {
	Path, Problem string
}

// Decode decodes one JSON document of at most limit bytes into v,
// strictly: keys given twice (encoding/json keeps the last without a
// word, see jsondup), keys v's type lacks (each at its path), a value of
// the wrong type, bad syntax and trailing data are problems. root names
// the document in problems that have no path of their own. Problems never
// quote the document's values.
func Decode(data []byte, v any, root string, limit int) []Problem {
	if len(data) > limit {
		return []Problem{{root, fmt.Sprintf("document larger than %d bytes", limit)}}
	}
	var out []Problem
	for _, path := range jsondup.Duplicates(data) {
		out = append(out, Problem{path, "key given twice"})
	}
	for _, path := range Unknown(data, v) {
		out = append(out, Problem{path, "unknown field"})
	}
	if len(out) > 0 {
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if path, ok := pathAt(data, te.Offset); ok && path != "" {
				return []Problem{{path, "wrong type: must be " + kindName(te.Type)}}
			}
		}
		return []Problem{{root, "bad JSON: " + problem(err)}}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return []Problem{{root, "trailing data after the JSON value"}}
	}
	return nil
}

// pathAt returns the path of the value whose reading passes byte offset
// (where encoding/json reports a value of the wrong type), with array
// indexes, which the type error's own Field leaves out.
func pathAt(data []byte, offset int64) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	found, ok := "", false
	var visit func(path string) error
	visit = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if dec.InputOffset() >= offset {
			found, ok = path, true
			return io.EOF // stop
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k, _ := kt.(string)
				if err := visit(join(path, k)); err != nil {
					return err
				}
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := visit(fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
		default:
			return nil
		}
		_, err = dec.Token()
		return err
	}
	_ = visit("")
	return found, ok
}

// kindName words what a Go type takes in JSON, for a wrong-type problem.
func kindName(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another type"
}

// problem words a decoding error without quoting the input's values. The
// error of a type's own UnmarshalJSON (a rule tree's field errors, say)
// already says what is wrong where, and is kept.
func problem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te) && te.Field == "":
		return "wrong type: must be " + kindName(te.Type)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), strings.HasPrefix(err.Error(), "json: "):
		return "not a valid document"
	}
	return err.Error()
}

// Load is Decode for a configuration document of at most max bytes, with
// every problem reported through newErr(path, problem) and joined: the
// package's own field error, so callers match their own sentinel.
func Load(data []byte, max int, v any, newErr func(path, problem string) error) error {
	problems := Decode(data, v, "document", max)
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = newErr(p.Path, p.Problem)
	}
	return errors.Join(errs...)
}

// Parse reads a configuration document of at most max bytes into a new T
// with Load, then validates it, so that a package's ParseX is one line and
// reports every problem, of the JSON or of the values, as its own error.
func Parse[T any, P interface {
	*T
	Validate() error
}](data []byte, max int, newErr func(path, problem string) error) (*T, error) {
	var v T
	if err := Load(data, max, &v, newErr); err != nil {
		return nil, err
	}
	if err := P(&v).Validate(); err != nil {
		return nil, err
	}
	return &v, nil
}
