package loyalty

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
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

func unmarshalStrict(doc string, v any) error {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// A programme survives a JSON round trip unchanged in meaning.
func TestProgramJSONRoundTrip(t *testing.T) {
	p := loadTestProgram(t, "program.json")
	out, err := json.Marshal(p)
	require.NoError(t, err)
	p2, err := ParseProgram(out)
	require.NoError(t, err)
	pu := benchPurchase(20)
	in := QuoteInput{Purchase: pu, Member: Member{Tier: "gold", FirstPurchase: true}}
	q1, err := p.Quote(in)
	require.NoError(t, err)
	q2, err := p2.Quote(in)
	require.NoError(t, err)
	assert.Equal(t, q1, q2)
}
