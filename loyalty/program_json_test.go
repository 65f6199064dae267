package loyalty

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"

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
		{"unknown field", `{"id":"x","bogus":1}`, "bogus"},
		{"unknown field at its path", `{"id":"x","earnRules":[{"id":"a","kind":"base","rat":1}]}`, "earnRules[0].rat"},
		{"key given twice", `{"id":"x","currency":"CNY","currency":"USD"}`, "currency"},
		{"trailing data", string(base) + `{}`, "program"},
		{"not json", `{`, "program"},
		{"wrong type", `{"id":5}`, "id"},
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

func TestExampleProgramsQuote(t *testing.T) {
	berlin := loadTestProgram(t, "program-berlin-rolling.json")
	be := zone(t, "Europe/Berlin")
	pu := customer.Purchase{ID: "B1", Currency: "EUR", Channel: customer.ChannelOnline,
		Time: time.Date(2026, 3, 28, 12, 0, 0, 0, be), Tax: dec("1.60"),
		Lines: []customer.Line{
			{SKU: "OATS", Category: "grocery", Tags: []string{"eco"}, Quantity: dec("1"), Total: dec("10.00")},
			{SKU: "SHIP", Category: "delivery", Quantity: dec("1"), Total: dec("4.99")},
		}}
	q, err := berlin.Quote(QuoteInput{Purchase: pu, Member: Member{JoinedAt: time.Date(2020, 1, 1, 0, 0, 0, 0, be)}})
	require.NoError(t, err)
	checkQuote(t, q)
	assert.True(t, dec("8.93").Equal(q.Lines[0].Net()), q.Lines[0].Net().String())
	assert.Equal(t, map[string]int64{"base": 18, "saturday": 8, "eco": 5}, map[string]int64{
		"base": rulePoints(q, "base"), "saturday": rulePoints(q, "saturday"), "eco": rulePoints(q, "eco")})
	assert.Equal(t, int64(31), q.Total)
	assert.True(t, q.ReleaseByHost)
	assert.True(t, time.Date(2028, 3, 29, 0, 0, 0, 0, be).Equal(q.ExpiresAt), q.ExpiresAt.String())

	tokyo := loadTestProgram(t, "program-tokyo-inactivity.json")
	jp := zone(t, "Asia/Tokyo")
	pu = customer.Purchase{ID: "T1", Currency: "JPY", Store: "shibuya", Time: time.Date(2026, 5, 1, 8, 30, 0, 0, jp),
		Lines: []customer.Line{
			{SKU: "BEANS", Category: "beans", Quantity: dec("3"), Total: dec("5400")},
			{SKU: "LATTE", Category: "drinks", Quantity: dec("1"), Total: dec("600")},
		}}
	q, err = tokyo.Quote(QuoteInput{Purchase: pu, Member: Member{Tier: "gold"}})
	require.NoError(t, err)
	checkQuote(t, q)
	assert.Equal(t, int64(60+60+30+30), q.Total)
	assert.True(t, time.Date(2026, 5, 16, 0, 0, 0, 0, jp).Equal(q.PendingUntil))
	assert.True(t, q.ExpiresAt.IsZero())
	assert.True(t, time.Date(2027, 5, 2, 0, 0, 0, 0, jp).Equal(tokyo.Expiry.InactivityExpiresAt(pu.Time, jp)))
}

// A day that does not exist is named at its field path, not as bad JSON.
func TestParseProgramNamesAnImpossibleDate(t *testing.T) {
	base, err := os.ReadFile("testdata/program.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(base, &doc))
	rules := doc["earnRules"].([]any)
	rules[0].(map[string]any)["when"] = map[string]any{"from": "2026-02-30"}
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	_, err = ParseProgram(data)
	require.ErrorIs(t, err, ErrInvalid)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "earnRules[0].when.from", fe.Field)
}
