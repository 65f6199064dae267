package metrics

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *FieldError
		require.True(t, errors.As(e, &fe), "%v", e)
		out = append(out, fe.Field)
	}
	walk(err)
	return out
}

func TestParseChurnRule(t *testing.T) {
	tests := []struct {
		name   string
		json   string
		want   ChurnRule
		fields []string // of the problems, when invalid
	}{
		{"inactivity", `{"kind":"inactivity","inactiveDays":90}`, ChurnRule{Kind: Inactivity, InactiveDays: 90}, nil},
		{"period over period", `{"kind":"period-over-period","previous":{"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}}`,
			ChurnRule{Kind: PeriodOverPeriod, Previous: Window{From: utc("2026-01-01T00:00:00Z"), To: utc("2026-02-01T00:00:00Z")}}, nil},
		{"unknown field", `{"kind":"inactivity","inactiveDays":90,"grace":3}`, ChurnRule{}, []string{"JSON"}},
		{"trailing data", `{"kind":"inactivity","inactiveDays":90} {}`, ChurnRule{}, []string{"JSON"}},
		{"unknown kind", `{"kind":"vibes"}`, ChurnRule{}, []string{"Kind"}},
		{"every problem at once", `{"kind":"inactivity","inactiveDays":0,"previous":{"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}}`,
			ChurnRule{}, []string{"InactiveDays", "Previous"}},
		{"days on the wrong rule", `{"kind":"period-over-period","inactiveDays":30}`, ChurnRule{}, []string{"Previous", "InactiveDays"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseChurnRule([]byte(tc.json))
			if tc.fields == nil {
				require.NoError(t, err)
				assert.Equal(t, tc.want, got)
				return
			}
			require.ErrorIs(t, err, ErrInvalidArgument)
			assert.Equal(t, tc.fields, fieldsOf(t, err))
		})
	}
}

func TestParseSatisfactionOptions(t *testing.T) {
	got, err := ParseSatisfactionOptions([]byte(`{"csatScale":7,"csatTopBox":6}`))
	require.NoError(t, err)
	assert.Equal(t, SatisfactionOptions{CSATScale: 7, CSATTopBox: 6}, got)

	_, err = ParseSatisfactionOptions([]byte(`{"csatScale":7,"topBox":6}`))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = ParseSatisfactionOptions([]byte(`{"csatScale":1,"csatTopBox":9}`))
	assert.Equal(t, []string{"CSATScale", "CSATTopBox"}, fieldsOf(t, err))
}

// Whatever the bytes, parsing never panics, and what it accepts survives
// a round trip through JSON.
func FuzzParseChurnRule(f *testing.F) {
	f.Add([]byte(`{"kind":"inactivity","inactiveDays":90}`))
	f.Add([]byte(`{"kind":"period-over-period","previous":{"from":"2026-01-01T00:00:00Z","to":"2026-02-01T00:00:00Z"}}`))
	f.Add([]byte(`{"kind":"inactivity","inactiveDays":-1e300}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseChurnRule(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("error %v is not ErrInvalidArgument", err)
			}
			return
		}
		out, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseChurnRule(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		if again.String() != r.String() {
			t.Fatalf("round trip changed %v to %v", r, again)
		}
	})
}

func FuzzParseSatisfactionOptions(f *testing.F) {
	f.Add([]byte(`{"csatScale":7,"csatTopBox":6}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseSatisfactionOptions(data)
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				t.Fatalf("error %v is not ErrInvalidArgument", err)
			}
			return
		}
		r, err := o.resolve()
		if err != nil || r.CSATTopBox < 1 || r.CSATTopBox > r.CSATScale {
			t.Fatalf("accepted %+v resolves to %+v, %v", o, r, err)
		}
	})
}
