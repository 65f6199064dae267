package redacttest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// Marker starts every personal value Fill writes.
const Marker = "PII"

// BirthYear is the year Fill gives a field of a type named Birthday.
const BirthYear = 1987

// Personal says which fields hold personal data: every field named in
// Fields, in any struct, except those named "Type.Field" in Except (a
// product's Name is not a person's).
type Personal struct {
	Fields []string
	Except []string
}

func (p Personal) has(owner, field string) bool {
	return slices.Contains(p.Fields, field) && !slices.Contains(p.Except, owner+"."+field)
}

// Fill returns a copy of v (a struct value) with every exported string
// field that personal names set to Marker plus the field name,
// every other string set to "x", slices given one element, maps one entry
// (its value personal when the map's field is), pointers pointed at a
// filled value, and any struct type named Birthday set to BirthYear-07-14.
// It reports whether it placed any personal value.
func Fill(v any, personal Personal) (any, bool) {
	rv := reflect.New(reflect.TypeOf(v)).Elem()
	placed := fill(rv, false, "", personal, 0)
	return rv.Interface(), placed
}

func fill(v reflect.Value, isPersonal bool, name string, personal Personal, depth int) bool {
	if depth > 6 || !v.CanSet() {
		return false
	}
	switch v.Kind() {
	case reflect.String:
		if isPersonal {
			v.SetString(Marker + name)
			return true
		}
		v.SetString("x")
	case reflect.Struct:
		t := v.Type()
		if t == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)))
			return false
		}
		if t.Name() == "Birthday" {
			v.FieldByName("Year").SetInt(BirthYear)
			v.FieldByName("Month").SetInt(7)
			v.FieldByName("Day").SetInt(14)
			return true
		}
		placed := false
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			placed = fill(v.Field(i), !f.Anonymous && personal.has(t.Name(), f.Name), f.Name, personal, depth+1) || placed
		}
		return placed
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if isPersonal {
				v.SetBytes([]byte(Marker + name))
				return true
			}
			return false
		}
		s := reflect.MakeSlice(v.Type(), 1, 1)
		placed := fill(s.Index(0), isPersonal, name, personal, depth+1)
		v.Set(s)
		return placed
	case reflect.Map:
		kt, et := v.Type().Key(), v.Type().Elem()
		if kt.Kind() != reflect.String || et.Kind() != reflect.String {
			return false
		}
		m := reflect.MakeMap(v.Type())
		val := "x"
		if isPersonal {
			val = Marker + name
		}
		m.SetMapIndex(reflect.ValueOf("k").Convert(kt), reflect.ValueOf(val).Convert(et))
		v.Set(m)
		return isPersonal
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		placed := fill(p.Elem(), isPersonal, name, personal, depth+1)
		v.Set(p)
		return placed
	}
	return false
}

// verbs are the fmt verbs Check prints with.
var verbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x"}

// Check prints v, and a pointer to it, with every verb and through slog's
// text and JSON handlers (a capturing handler, writing where the test can
// read) and fails if Marker, or the year BirthYear, shows.
func Check(t *testing.T, name string, v any) {
	t.Helper()
	p := reflect.New(reflect.TypeOf(v))
	p.Elem().Set(reflect.ValueOf(v))
	for _, x := range []any{v, p.Interface()} {
		var buf bytes.Buffer
		for _, verb := range verbs {
			fmt.Fprintf(&buf, verb+"\n", x)
		}
		// Without the time: a timestamp's digits can spell BirthYear
		// (14:59:32.41987… did), which would fail the check at random.
		opts := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		}}
		for _, h := range []slog.Handler{slog.NewTextHandler(&buf, opts), slog.NewJSONHandler(&buf, opts)} {
			slog.New(h).Info("value", "v", x)
		}
		out := buf.String()
		if strings.Contains(out, Marker) || strings.Contains(out, fmt.Sprint(BirthYear)) {
			t.Errorf("%T prints personal data:\n%s", x, out)
		}
	}
}

// ExportedTypes lists the exported struct types declared in the non-test
// Go files of dir.
func ExportedTypes(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				ts := s.(*ast.TypeSpec)
				if _, isStruct := ts.Type.(*ast.StructType); isStruct && ts.Name.IsExported() {
					names = append(names, ts.Name.Name)
				}
			}
		}
	}
	slices.Sort(names)
	return names
}

// Run checks a package: types must name every exported struct type
// declared in dir (the package under test, "."), so a new type cannot
// escape the check, and every one that holds a field personal names
// prints none of it (Check).
func Run(t *testing.T, dir string, types map[string]any, personal Personal) {
	t.Helper()
	listed := make([]string, 0, len(types))
	for name := range types {
		listed = append(listed, name)
	}
	slices.Sort(listed)
	if declared := ExportedTypes(t, dir); !slices.Equal(declared, listed) {
		t.Errorf("exported struct types %q, checked %q: list every type so its printing is checked", declared, listed)
	}
	for name, zero := range types {
		v, placed := Fill(zero, personal)
		if !placed {
			continue // holds nothing personal
		}
		t.Run(name, func(t *testing.T) { Check(t, name, v) })
	}
}
