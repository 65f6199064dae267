package storedvalue_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fieldsOf(err error) []string {
	var out []string
	for _, fe := range errtree.All[*storedvalue.FieldError](err) {
		out = append(out, fe.Field)
	}
	return out
}

func TestParseProgrammeFile(t *testing.T) {
	data, err := os.ReadFile("testdata/programme.json")
	require.NoError(t, err)
	p, err := storedvalue.ParseProgramme(data)
	require.NoError(t, err)
	assert.Equal(t, storedvalue.Proportional, p.SpendOrder)
	require.Len(t, p.TopUps, 2)
	assert.True(t, p.TopUps[1].Bonus.Equal(d("100")))
	assert.Equal(t, "gold", p.TopUps[1].Tier)
}

func TestParseProgrammeReportsEveryProblemByPath(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		fields    []string
	}{
		{"unknown and duplicate keys", `{"currency":"CNY","currency":"USD","spendOrder":"paid-first","topUps":[{"id":"a","pay":"1","bonus":"0","extra":1}]}`,
			[]string{"currency", "topUps[0].extra"}},
		{"every field", `{"currency":"XAU","spendOrder":"random","bonusValidDays":-1,"timeZone":"Mars/Base","cashOut":"sometimes","topUps":[{"id":"","pay":"0","bonus":"-1","bonusPoints":-5}]}`,
			[]string{"currency", "spendOrder", "cashOut", "bonusValidDays", "timeZone", "topUps[0].id", "topUps[0].bonusPoints"}},
		{"amounts", `{"currency":"CNY","spendOrder":"bonus-first","minTopUp":"0.001","maxBalance":"1e20","topUps":[{"id":"a","pay":"0","bonus":"-1"},{"id":"a","pay":"0","bonus":"1"}]}`,
			[]string{"minTopUp", "maxBalance", "topUps[0].pay", "topUps[0].bonus", "topUps[1].id", "topUps[1].pay", "topUps[1].pay"}},
		{"wrong type", `{"currency": 5}`, []string{"currency"}},
		{"bad json", `{"currency": 5`, []string{"programme"}},
		{"trailing", `{"currency":"CNY","spendOrder":"paid-first"} {}`, []string{"programme"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := storedvalue.ParseProgramme([]byte(tc.doc))
			require.ErrorIs(t, err, storedvalue.ErrInvalid)
			assert.Equal(t, tc.fields, fieldsOf(err))
		})
	}
}

func FuzzParseProgramme(f *testing.F) {
	data, err := os.ReadFile("testdata/programme.json")
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte(`{"currency":"JPY","spendOrder":"paid-first","topUps":[{"id":"x","pay":"1000","bonus":"50"}]}`))
	f.Add([]byte(`{"currency":"CNY","spendOrder":"paid-first","minTopUp":1e400}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := storedvalue.ParseProgramme(doc)
		if err != nil {
			require.ErrorIs(t, err, storedvalue.ErrInvalid)
			require.NotEmpty(t, fieldsOf(err))
			return
		}
		// A programme that parses survives a round trip unchanged, and a
		// service can be built on it.
		out, err := json.Marshal(p)
		require.NoError(t, err)
		q, err := storedvalue.ParseProgramme(out)
		require.NoError(t, err)
		again, err := json.Marshal(q)
		require.NoError(t, err)
		require.JSONEq(t, string(out), string(again))
		_, err = storedvalue.NewService(storedvalue.NewMemoryStore(), p, nil)
		require.NoError(t, err)
	})
}

func FuzzNormaliseCode(f *testing.F) {
	for _, s := range []string{"7KQ2-M9XD-40RB-TZ5H", "oldcard123", "ｏｌｄｃａｒｄ１２３", "IIII LLLL OOOO UUUU", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		n, err := storedvalue.NormaliseCode(code)
		if err != nil {
			require.ErrorIs(t, err, storedvalue.ErrInvalidCode)
			if len(code) >= 4 {
				require.NotContains(t, err.Error(), code, "an error quotes the code")
			}
			return
		}
		// Normalising is idempotent, and so is formatting then reading.
		again, err := storedvalue.NormaliseCode(n)
		require.NoError(t, err)
		require.Equal(t, n, again)
		back, err := storedvalue.NormaliseCode(storedvalue.FormatCode(n))
		require.NoError(t, err)
		require.Equal(t, n, back)
	})
}
