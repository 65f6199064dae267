package coupon_test

import (
	"testing"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/loyalty/coupon"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const definitionsJSON = `[
  {"id": "20-off-100", "currency": "CNY", "usesPerCode": 1,
   "offer": {"id": "20-off-100", "name": "20 off 100", "kind": "amount-off", "amount": "20", "minSpend": "100"}},
  {"id": "flyer-spring", "currency": "CNY", "usesPerCode": 5000, "perCustomer": 1,
   "offer": {"id": "flyer-spring", "kind": "percent-off", "percent": "10", "scope": {"categories": ["tea"]}, "stacking": "no-other-coupons"}}
]`

func TestParseDefinitions(t *testing.T) {
	defs, err := coupon.ParseDefinitions([]byte(definitionsJSON))
	require.NoError(t, err)
	require.Len(t, defs, 2)
	assert.Equal(t, int64(5000), defs[1].UsesPerCode)
}

func TestParseDefinitionsNamesEveryProblem(t *testing.T) {
	cases := []struct {
		name, doc string
		fields    []string
	}{
		{"unknown key", `[{"id":"a","currency":"CNY","usesPerCode":1,"offer":{"id":"a","kind":"amount-off","amount":"5","bogus":1}}]`,
			[]string{"[0].offer.bogus"}},
		{"every problem", `[{"id":"a","currency":"XXX","usesPerCode":0,"offer":{"id":"a","kind":"amount-off","amount":"5"}},
			{"id":"a","currency":"CNY","usesPerCode":1,"perCustomer":-1,"offer":{"id":"","kind":"percent-off","percent":"120"}}]`,
			[]string{"[0].currency", "[0].usesPerCode", "[1].id", "[1].perCustomer", "[1].offer.id", "[1].offer.percent"}},
		{"not an array", `{"id":"a"}`, []string{"definitions"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := coupon.ParseDefinitions([]byte(c.doc))
			require.ErrorIs(t, err, coupon.ErrInvalid)
			var got []string
			for _, fe := range errtree.All[*coupon.FieldError](err) {
				got = append(got, fe.Field)
			}
			assert.ElementsMatch(t, c.fields, got)
		})
	}
}

func FuzzParseDefinitions(f *testing.F) {
	f.Add([]byte(definitionsJSON))
	f.Add([]byte(`[{"id":"a","currency":"JPY","usesPerCode":3,"offer":{"id":"a","kind":"buy-x-get-y","buy":1,"get":1}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		defs, err := coupon.ParseDefinitions(data)
		if err != nil {
			require.ErrorIs(t, err, coupon.ErrInvalid)
			return
		}
		for _, d := range defs {
			require.NoError(t, d.Validate())
		}
	})
}
