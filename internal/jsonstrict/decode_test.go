package jsonstrict

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecode(t *testing.T) {
	type inner struct {
		N int `json:"n"`
	}
	type doc struct {
		A  string `json:"a"`
		In inner  `json:"in"`
	}
	var d doc
	ps, err := Decode([]byte(`{"a": "x", "in": {"n": 2}}`), &d)
	require.NoError(t, err)
	assert.Empty(t, ps)
	assert.Equal(t, doc{"x", inner{2}}, d)
	ps, err = Decode([]byte(`{"a": "x", "a": "y", "in": {"m": 1}}`), &d)
	require.NoError(t, err)
	assert.Equal(t, []Problem{{"a", "key given twice"}, {"in.m", "unknown field"}}, ps)
	for _, bad := range []string{`{"a": 1}`, `{"a": "x"} {}`, `{`, ``, `[]`} {
		_, err = Decode([]byte(bad), &d)
		assert.ErrorIs(t, err, ErrSyntax, bad)
	}
}
