package jsondup_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/jsondup"
)

func TestDuplicates(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want []string
	}{
		{`{"a":1,"b":2}`, nil},
		{`{"a":1,"a":2}`, []string{"a"}},
		{`{"rule":{"and":[{"x":1},{"spent":{"min":"1","min":"2"}}]}}`, []string{"rule.and[1].spent.min"}},
		{`{"a":{"b":1},"c":{"b":1}}`, nil},
		{`[{"k":1,"k":2,"k":3}]`, []string{"[0].k", "[0].k"}},
		{`{"a":1,"a":`, []string{"a"}},
		{`not json`, nil},
		{`{"":1,"":2}`, []string{`""`}},
	} {
		assert.Equal(t, tc.want, jsondup.Duplicates([]byte(tc.doc)), tc.doc)
	}
}

func FuzzDuplicates(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":2,"b":3}],"a":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, p := range jsondup.Duplicates(data) {
			if p == "" {
				t.Fatal("a duplicate key needs a path")
			}
		}
	})
}
