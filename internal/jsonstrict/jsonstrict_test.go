package jsonstrict

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

type when struct {
	From string `json:"from"`
	To   string `json:"to,omitempty"`
}

type rule struct {
	Name string          `json:"name"`
	When *when           `json:"when"`
	Any  any             `json:"any"`
	Raw  json.RawMessage `json:"raw"`
}

type base struct {
	ID string `json:"id"`
}

type doc struct {
	base
	Rules   []rule          `json:"rules"`
	Targets map[string]when `json:"targets"`
	Plain   int
	Skip    string `json:"-"`
}

func TestUnknown(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`{"id":"x","rules":[{"name":"a","when":{"from":"1"}}],"targets":{"high":{"to":"2"}},"Plain":1}`, nil},
		{`{"ID":"x","plain":1}`, nil}, // case-insensitive, as encoding/json
		{`{"bogus":1}`, []string{"bogus"}},
		{`{"rules":[{},{},{},{"when":{"from":"1","bogus":2}}]}`, []string{"rules[3].when.bogus"}},
		{`{"targets":{"high":{"bogus":1},"low":{"x":2}}}`, []string{"targets.high.bogus", "targets.low.x"}},
		{`{"rules":[{"any":{"whatever":1},"raw":{"free":2}}]}`, nil},
		{`{"Skip":"x"}`, []string{"Skip"}},
		{`{"":1}`, []string{`""`}},
		{`{"rules":[{"name":`, nil}, // syntax errors are the decoder's to report
	}
	for _, c := range cases {
		if got := Unknown([]byte(c.in), &doc{}); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Unknown(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzUnknown(f *testing.F) {
	f.Add([]byte(`{"rules":[{"when":{"from":"1","bogus":2}}]}`))
	f.Add([]byte(`{"targets":{"a":{"b":[1,2,{"c":3}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := Unknown(data, doc{})
		// Whatever encoding/json accepts with DisallowUnknownFields has no
		// unknown key.
		var d doc
		if json.Unmarshal(data, &d) == nil && strictOK(data) && len(got) != 0 {
			t.Fatalf("strict decoding accepted %s but Unknown found %q", data, got)
		}
	})
}

func strictOK(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d doc
	return dec.Decode(&d) == nil
}
