package loyalty

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadTestProgram(t testing.TB, name string) *Program {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	p, err := ParseProgram(data)
	require.NoError(t, err)
	return p
}

func TestParseProgramFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			p := loadTestProgram(t, filepath.Base(f))
			assert.NotNil(t, p.Location)
			assert.NotNil(t, p.compiled)
		})
	}
}

func TestParseProgramStrict(t *testing.T) {
	base, err := os.ReadFile("testdata/program.json")
	require.NoError(t, err)
	cases := []struct {
		name, doc, field string
	}{
		{"unknown field", `{"id":"x","bogus":1}`, "program"},
		{"trailing data", string(base) + `{}`, "program"},
		{"not json", `{`, "program"},
		{"wrong type", `{"id":5}`, "program"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseProgram([]byte(c.doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrInvalid)
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, c.field, fe.Field)
		})
	}
}
