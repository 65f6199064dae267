package pricing_test

import (
	"testing"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/loyalty/pricing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const rulesJSON = `{
  "currency": "CNY",
  "promotions": [
    {"id": "tea-95", "name": "Tea 5% off", "kind": "percent-off", "percent": "5", "scope": {"categories": ["tea"]}},
    {"id": "300-50", "name": "满300减50", "kind": "spend-save", "threshold": "300", "amount": "50", "stacking": "exclusive", "priority": 9},
    {"id": "vip-day", "kind": "member-day", "percent": "10", "when": {"daysOfMonth": [8, 18, 28], "channels": ["in-store"]}}
  ]
}`

func TestParseRules(t *testing.T) {
	r, err := pricing.ParseRules([]byte(rulesJSON))
	require.NoError(t, err)
	require.Len(t, r.Promotions, 3)
	assert.Equal(t, pricing.KindSpendSave, r.Promotions[1].Kind)
	assert.Equal(t, []int{8, 18, 28}, r.Promotions[2].When.DaysOfMonth)
}

func TestParseRulesNamesEveryProblem(t *testing.T) {
	cases := []struct {
		name, doc string
		fields    []string
	}{
		{"unknown key at its path", `{"currency":"CNY","promotions":[{"id":"a","kind":"amount-off","amount":"1","scope":{"skuz":["x"]}}]}`,
			[]string{"promotions[0].scope.skuz"}},
		{"key twice", `{"currency":"CNY","currency":"USD","promotions":[]}`, []string{"currency"}},
		{"every validation problem", `{"currency":"CNY","promotions":[
			{"id":"a","kind":"percent-off","percent":"101","threshold":"5"},
			{"id":"a","kind":"spend-save","amount":"0.001"},
			{"id":"c","kind":"member-day","percent":"5","when":{"daysOfMonth":[0,3,3],"channels":["fax"]}},
			{"id":"d","kind":"n-for-price","n":1,"amount":"9","stacking":"sometimes"}]}`,
			[]string{"promotions[0].percent", "promotions[0].threshold", "promotions[1].id", "promotions[1].threshold", "promotions[1].amount",
				"promotions[2].when.daysOfMonth[0]", "promotions[2].when.daysOfMonth[2]", "promotions[2].when.channels[0]",
				"promotions[3].n", "promotions[3].stacking"}},
		{"member day needs days", `{"currency":"CNY","promotions":[{"id":"a","kind":"member-day","percent":"5"}]}`, []string{"promotions[0].when.daysOfMonth"}},
		{"trailing data", `{"currency":"CNY","promotions":[]} {}`, []string{"rules"}},
		{"wrong type", `{"currency":"CNY","promotions":[{"id":"a","kind":"amount-off","amount":"1","n":"two"}]}`, []string{"promotions[0].n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := pricing.ParseRules([]byte(c.doc))
			require.ErrorIs(t, err, pricing.ErrInvalid)
			var got []string
			for _, fe := range errtree.All[*pricing.FieldError](err) {
				got = append(got, fe.Field)
			}
			assert.ElementsMatch(t, c.fields, got)
		})
	}
}

func FuzzParseRules(f *testing.F) {
	f.Add([]byte(rulesJSON))
	f.Add([]byte(`{"currency":"JPY","promotions":[{"id":"x","kind":"buy-x-get-y","buy":2,"get":1}]}`))
	f.Add([]byte(`{"currency":"CNY","promotions":[{"id":"x","kind":"n-for-price","n":3,"amount":"1e400"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := pricing.ParseRules(data)
		if err != nil {
			require.ErrorIs(t, err, pricing.ErrInvalid)
			return
		}
		e, err := pricing.NewEngine(r, shanghai)
		require.NoError(t, err, "rules that parse compile")
		b := basket(item("T", "tea", 3, "100"), item("C", "cup", 1, "0"))
		b.Currency = r.Currency
		b.Member = &pricing.Member{ID: "M", Tier: "gold", TierDiscount: d("3")}
		if res, err := e.Price(b); err == nil {
			checkResult(t, res)
		}
	})
}
