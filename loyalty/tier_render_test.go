package loyalty

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRenderProgress(t *testing.T) {
	p := tierProgram(t, nil)
	dec31 := sh(t, 2027, 1, 1, 0, 0)
	cases := []struct {
		name string
		pr   Progress
		lang string
		want []string
	}{
		{"one purchase, singular", Progress{Tier: "silver", Next: &Gap{Tier: "gold", Match: MatchAny, Spend: dec("1234567.5"), Purchases: 1, AsksSpend: true, AsksPurchases: true}},
			"en", []string{"1,234,567.50 CNY or 1 purchase to Gold"}},
		{"all conditions, points", Progress{Tier: "silver", Next: &Gap{Tier: "gold", Match: MatchAll, Spend: dec("0"), Points: 1500, AsksSpend: true, AsksPoints: true, Deadline: dec31}},
			"en-GB", []string{"1,500 qualifying points to Gold by 31 Dec 2026"}},
		{"keep with both", Progress{Tier: "gold", Keep: &Gap{Tier: "gold", Match: MatchAll, Spend: dec("1200"), Purchases: 3, AsksSpend: true, AsksPurchases: true, Deadline: dec31}},
			"en", []string{"spend 1,200 CNY and make 3 purchases by 31 Dec 2026 to keep Gold"}},
		{"keep met", Progress{Tier: "gold", Keep: &Gap{Tier: "gold", Met: true, Deadline: dec31}},
			"en", []string{"Gold secured for the review after 31 Dec 2026"}},
		{"Chinese keep", Progress{Tier: "gold", Keep: &Gap{Tier: "gold", Match: MatchAll, Spend: dec("1200"), Purchases: 3, AsksSpend: true, AsksPurchases: true, Deadline: dec31}},
			"zh-Hans", []string{"2026年12月31日前消费 1,200 CNY并购买 3 次即可保留金卡"}},
		{"unknown language falls back to English", Progress{Tier: "silver", GuaranteedUntil: sh(t, 2026, 7, 1, 0, 0)},
			"tlh", []string{"Silver guaranteed through 30 Jun 2026"}},
		{"reached already says nothing", Progress{Tier: "silver", Next: &Gap{Tier: "gold", Met: true}}, "en", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, p.RenderProgress(c.pr, c.lang))
		})
	}
}
