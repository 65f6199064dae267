package jsonstrict

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecode(t *testing.T) {
	type doc struct {
		A int               `json:"a"`
		B map[string]string `json:"b"`
		E []struct {
			D int `json:"d"`
		} `json:"e"`
	}
	cases := []struct {
		data string
		want []Problem
	}{
		{`{"a":1,"b":{"x":"y"}}`, nil},
		{`{"a":1,"a":2}`, []Problem{{Path: "a", Problem: "key given twice"}}},
		{`{"a":1,"c":{"d":1}}`, []Problem{{Path: "c", Problem: "unknown field"}}},
		{`{"a":"one"}`, []Problem{{Path: "a", Problem: "wrong type: must be a whole number"}}},
		{`{"a":1,"e":[{"d":2},{"d":"x"}]}`, []Problem{{Path: "e[1].d", Problem: "wrong type: must be a whole number"}}},
		{`{"a":1,"b":{"k":{"deep":1}}}`, []Problem{{Path: "b.k", Problem: "wrong type: must be a string"}}},
		{`{"a":[1]}`, []Problem{{Path: "a", Problem: "wrong type: must be a whole number"}}},
		{`[]`, []Problem{{Path: "doc", Problem: "bad JSON: wrong type: must be an object"}}},
		{`{"a":1} []`, []Problem{{Path: "doc", Problem: "trailing data after the JSON value"}}},
		{`{"a":`, []Problem{{Path: "doc", Problem: "bad JSON: not a valid document"}}},
		{strings.Repeat(" ", 65) + `{}`, []Problem{{Path: "doc", Problem: "document larger than 64 bytes"}}},
	}
	for _, c := range cases {
		var v doc
		assert.Equal(t, c.want, Decode([]byte(c.data), &v, "doc", 64), c.data)
	}
}

func TestLoadReportsThroughTheCallersError(t *testing.T) {
	type doc struct {
		A int `json:"a"`
	}
	var v doc
	newErr := func(path, problem string) error { return errors.New(path + ": " + problem) }
	assert.NoError(t, Load([]byte(`{"a":1}`), 64, &v, newErr))
	assert.Equal(t, 1, v.A)
	err := Load([]byte(`{"a":1,"a":2,"b":3}`), 64, &v, newErr)
	assert.EqualError(t, err, "a: key given twice\nb: unknown field")
	assert.EqualError(t, Load([]byte(`{"a":`), 64, &v, newErr), "document: bad JSON: not a valid document")
	assert.EqualError(t, Load([]byte(strings.Repeat(" ", 70)), 64, &v, newErr), "document: document larger than 64 bytes")
}

type positive struct {
	N int `json:"n"`
}

func (p *positive) Validate() error {
	if p.N <= 0 {
		return errors.New("n: must be positive")
	}
	return nil
}

func TestParseLoadsThenValidates(t *testing.T) {
	newErr := func(path, problem string) error { return errors.New(path + ": " + problem) }
	got, err := Parse[positive]([]byte(`{"n":2}`), 64, newErr)
	assert.NoError(t, err)
	assert.Equal(t, 2, got.N)
	_, err = Parse[positive]([]byte(`{"n":0}`), 64, newErr)
	assert.EqualError(t, err, "n: must be positive")
	_, err = Parse[positive]([]byte(`{"m":1}`), 64, newErr)
	assert.EqualError(t, err, "m: unknown field")
}
