package loyalty

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

func FuzzProgramJSON(f *testing.F) {
	if seed, err := os.ReadFile("testdata/program.json"); err == nil {
		f.Add(seed)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":"x","currency":"CNY","timeZone":"UTC","earnRules":[{"id":"b","kind":"base","rate":"1e-5"}],"expiry":{"kind":"never"},"returnPolicy":"allow-debt","redemption":{"points":1,"value":"1"}}`))
	f.Add([]byte(`{"id":"x","currency":"CNY","timeZone":"UTC","earnRules":[{"id":"b","kind":"base","rate":"1e999999999"}]}`))
	f.Add([]byte(`{"id":"x","tiers":{"levels":[{"code":"a","names":{"en":"A"}},{"code":"b","names":{"en":"B"},"qualify":{"spend":"-1"}}],"window":{"kind":"rolling","months":0}}}`))
	f.Add([]byte(`{"id":"x","currency":"CNY","timeZone":"Asia/Shanghai","events":[{"kind":"check-in","points":1,"checkIn":{"makeUpDays":2,"streak":[{"from":3,"points":2}]}},{"kind":"share","points":5,"perDay":2,"perPeriod":9,"period":"week"}],"earnRules":[{"id":"b","kind":"base","rate":"1","when":{"memberDay":{"monthDays":[18,-1],"weekdays":[{"n":-1,"weekday":"fri"}]}}},{"id":"s","kind":"event-bonus","event":"share","points":5}],"expiry":{"kind":"never"},"returnPolicy":"allow-debt","redemption":{"points":100,"value":"1"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseProgram(data)
		if err != nil {
			if p != nil {
				t.Fatal("a failed parse returned a programme")
			}
			return
		}
		// A valid programme validates again, survives a round trip, and
		// quotes without panicking.
		if err := p.Validate(); err != nil {
			t.Fatalf("revalidation failed: %v", err)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if _, err := ParseProgram(out); err != nil {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
		pu := benchPurchase(5)
		pu.Currency = p.Currency
		q, err := p.Quote(QuoteInput{Purchase: pu, Member: Member{FirstPurchase: true}})
		if err != nil {
			return // amounts may not fit the currency's minor unit
		}
		if q.Total < 0 {
			t.Fatalf("negative quote %d", q.Total)
		}
		if !p.Tiers.IsZero() {
			_, _, _, _ = EvaluateTier(p, TierState{MemberSince: pu.Time}, QualifyingActivity{Events: []QualifyingEvent{{Time: pu.Time, Spend: pu.Total(), Purchases: 1}}}, pu.Time.Add(400*24*time.Hour))
		}
	})
}
