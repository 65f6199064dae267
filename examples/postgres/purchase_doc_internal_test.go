package postgres

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonbText prints a compact JSON document the way PostgreSQL prints a
// jsonb value: a space after every colon and comma outside strings.
func jsonbText(doc []byte) []byte {
	var b strings.Builder
	in, esc := false, false
	for _, c := range doc {
		b.WriteByte(c)
		switch {
		case esc:
			esc = false
		case in && c == '\\':
			esc = true
		case c == '"':
			in = !in
		case !in && (c == ':' || c == ','):
			b.WriteByte(' ')
		}
	}
	return []byte(b.String())
}

// randomPurchase returns a purchase with every field set or left empty
// at random, times in several zones.
func randomPurchase(r *rand.Rand) customer.Purchase {
	word := func() string {
		if r.IntN(4) == 0 {
			return ""
		}
		return []string{"P-1", "Lane member 7", "茶叶", "SH-02", "a b", "€5"}[r.IntN(6)]
	}
	dec := func() decimal.Decimal {
		return decimal.New(r.Int64N(2_000_000)-1_000_000, -int32(r.IntN(4)))
	}
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("", -(5*3600 + 1800))}
	p := customer.Purchase{ID: word(), CustomerID: word(), Store: word(), Channel: customer.SalesChannel(word()), Staff: word(),
		Time:     time.Unix(r.Int64N(4e9), r.Int64N(1e9)*int64(r.IntN(2))).In(zones[r.IntN(len(zones))]),
		Currency: word(), OrderDiscount: dec(), Tax: dec()}
	for range r.IntN(4) {
		l := customer.Line{SKU: word(), Name: word(), Category: word(), Brand: word(), Quantity: dec(), UnitPrice: dec(),
			Discount: dec(), Total: dec()}
		for range r.IntN(3) {
			l.Tags = append(l.Tags, word())
		}
		p.Lines = append(p.Lines, l)
	}
	return p
}

// Documents as the adapter stores them and PostgreSQL prints them take
// the plain path and decode as json.Unmarshal does.
func TestDecodePurchaseReadsPrintedDocs(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(uint64(seed), 7))
	for range 500 {
		doc, err := json.Marshal(randomPurchase(r))
		require.NoError(t, err)
		for _, form := range [][]byte{doc, jsonbText(doc)} {
			var want, got customer.Purchase
			require.NoError(t, json.Unmarshal(form, &want))
			require.True(t, (&purchaseScan{b: form}).purchase(&got), "plain path refused %s", form)
			require.Equal(t, want, got, "%s", form)
		}
	}
}

// Anything outside the plain form decodes through json.Unmarshal, with
// its result or its error.
func TestDecodePurchaseFallsBack(t *testing.T) {
	for _, doc := range []string{
		`{"id": "p\u00e9"}`,                     // an escape
		`{"ID": "p1"}`,                          // a key in another case
		`{"id": "p1", "id": "p2"}`,              // a repeated key
		`{"id": "p1", "note": "x"}`,             // an unknown key
		`{"lines": [], "tax": null}`,            // a null decimal
		`{"tax": 1.5}`,                          // a number
		`{"lines": [{"sku": "a"}], "x": 1}`,     // unknown key after lines
		`{"lines": [{"sku": "a", "sku": "b"}]}`, // repeated line key
		`{"id": "p1"} x`,                        // trailing text
		`{"id": "p1",}`,                         // a trailing comma
		`{"time": "yesterday"}`,                 // a bad time
		`{"tax": "1.5.5"}`,                      // a bad decimal
		`[]`, ``, `null`, `{"id": "\xff"}`,
	} {
		var want, got customer.Purchase
		wantErr := json.Unmarshal([]byte(doc), &want)
		err := decodePurchase([]byte(doc), &got)
		assert.Equal(t, wantErr, err, "%s", doc)
		assert.Equal(t, want, got, "%s", doc)
		assert.False(t, (&purchaseScan{b: []byte(doc)}).purchase(&customer.Purchase{}), "plain path took %s", doc)
	}
}

// The plain path reads every field of customer.Purchase and Line: a new
// field must be added to purchaseKeys or lineKeys and read (documents with
// it would otherwise all take the slow path).
func TestDecodePurchaseKnowsEveryField(t *testing.T) {
	names := func(v any) []string {
		var out []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			out = append(out, strings.Split(typ.Field(i).Tag.Get("json"), ",")[0])
		}
		return out
	}
	assert.ElementsMatch(t, names(customer.Purchase{}), purchaseKeys)
	assert.ElementsMatch(t, names(customer.Line{}), lineKeys)
}

// FuzzDecodePurchase: whatever the bytes, the plain path either refuses
// them or decodes what json.Unmarshal does, and decodePurchase always
// returns json.Unmarshal's result and error.
func FuzzDecodePurchase(f *testing.F) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		doc, _ := json.Marshal(randomPurchase(r))
		f.Add(doc)
		f.Add(jsonbText(doc))
	}
	f.Add([]byte(`{"id": "p1", "lines": [{"tags": ["a", "b"], "quantity": "1"}], "tax": "0.10"}`))
	for _, d := range []string{"-0", "-0.00", "007.50", "5.", ".5", "+1", "1e3", "-", "123456789012345678", "1234567890123456789", "9.99999999999999999999"} {
		f.Add([]byte(`{"tax": "` + d + `", "lines": [{"total": "` + d + `"}]}`))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		var want, fast, got customer.Purchase
		wantErr := json.Unmarshal(doc, &want)
		if (&purchaseScan{b: doc}).purchase(&fast) {
			require.NoError(t, wantErr, "%q", doc)
			require.Equal(t, want, fast, "%q", doc)
		}
		err := decodePurchase(doc, &got)
		require.Equal(t, wantErr, err, "%q", doc)
		if err == nil {
			require.Equal(t, want, got, "%q", doc)
		}
	})
}

// PostgreSQL's own printing of stored purchase documents (jsonb orders
// keys by length) takes the plain path.
func TestDecodePurchaseReadsServerDocs(t *testing.T) {
	dsn := os.Getenv("CLIENTELE_PG_DSN")
	if dsn == "" {
		t.Skip("no PostgreSQL: set CLIENTELE_PG_DSN")
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	defer conn.Close(t.Context())
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		p := randomPurchase(r)
		doc, err := json.Marshal(p)
		require.NoError(t, err)
		var printed []byte
		require.NoError(t, conn.QueryRow(t.Context(), `SELECT $1::jsonb`, doc).Scan(&printed))
		var got customer.Purchase
		require.True(t, (&purchaseScan{b: printed}).purchase(&got), "plain path refused %s", printed)
		var want customer.Purchase
		require.NoError(t, json.Unmarshal(doc, &want))
		require.Equal(t, want, got)
	}
}
