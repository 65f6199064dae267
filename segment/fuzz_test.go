package segment_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/clientele-go/clientele/segment"
)

// FuzzParseRule: no input panics; every error is ErrInvalid; an accepted
// rule re-encodes to JSON that parses to the same encoding, compiles and
// evaluates on sample facts without panicking.
func FuzzParseRule(f *testing.F) {
	f.Add([]byte(fullRule))
	f.Add([]byte(`{"version":1,"rule":{"spent":{"min":"1e999999999"}}}`))
	f.Add([]byte(`{"version":1,"rule":{"not":{"not":{"age":{"min":1}}}}}`))
	f.Add([]byte(`{"version":1,"rule":{"and":[{"or":[]}]}}`))
	f.Add([]byte(`{"version":1,"rule":{"birthdayWithin":{"days":0}}}`))
	f.Add([]byte(`{"version":1,"rule":{"lastPurchase":{"after":"2024-01-01T00:00:00+08:00"}}}`))
	f.Add([]byte(`{"version":1,"rule":null}`))
	f.Add([]byte(`[]`))
	c, p, r := handShop()
	facts, _, err := segment.BuildFacts(c, p, r, asOf, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rule, err := segment.ParseRule(data)
		if err != nil {
			if !errors.Is(err, segment.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		out, err := json.Marshal(rule)
		if err != nil {
			t.Fatalf("marshal accepted rule: %v", err)
		}
		again, err := segment.ParseRule(out)
		if err != nil {
			t.Fatalf("re-parse %s: %v", out, err)
		}
		out2, err := json.Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("unstable encoding:\n%s\n%s", out, out2)
		}
		m, err := rule.Compile(asOf, nil)
		if err != nil {
			if !errors.Is(err, segment.ErrInvalid) {
				t.Fatalf("compile error not ErrInvalid: %v", err)
			}
			return
		}
		for i := range facts {
			if m.Match(&facts[i]) != m.Explain(&facts[i]).Matched {
				t.Fatalf("explain disagrees with match")
			}
		}
	})
}

// FuzzLoadSegmentMap: no input panics; errors are ErrInvalid; accepted
// maps round-trip.
func FuzzLoadSegmentMap(f *testing.F) {
	for _, name := range segment.Presets() {
		m, _ := segment.Preset(name)
		b, _ := json.Marshal(m)
		f.Add(b)
	}
	f.Add([]byte(`{"version":1,"name":"x","bins":9,"axes":"rfm","segments":[{"name":"a","cells":[{"r":[1,9],"f":[1,9],"m":[1,9]}]}]}`))
	f.Add([]byte(`{"version":1,"bins":2,"axes":"r-fm","segments":[{"name":"a","cells":[{"r":[1,2],"fm":[2,1]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := segment.LoadSegmentMap(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, segment.ErrInvalid) {
				t.Fatalf("error not ErrInvalid: %v", err)
			}
			return
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := segment.LoadSegmentMap(bytes.NewReader(b)); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if _, ok := m.Segment(1, 1, 1); !ok {
			t.Fatalf("valid map has no segment for 111")
		}
	})
}
