package loyalty

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// requireActivityAsJSON requires the binary activity to decode to what the
// JSON array decodes to, compared as JSON (times with their offsets,
// amounts as their text).
func requireActivityAsJSON(t *testing.T, events []QualifyingEvent) {
	t.Helper()
	if len(events) == 0 { // the state document leaves an empty activity out, as it left out the array
		raw, err := encodeActivity(events)
		require.NoError(t, err)
		require.Empty(t, raw)
		got, err := decodeActivity(raw)
		require.NoError(t, err)
		require.Empty(t, got)
		return
	}
	viaJSON, err := json.Marshal(events)
	require.NoError(t, err)
	var fromJSON []QualifyingEvent
	require.NoError(t, json.Unmarshal(viaJSON, &fromJSON))
	raw, err := encodeActivity(events)
	require.NoError(t, err)
	got, err := decodeActivity(raw)
	require.NoError(t, err)
	want, err := json.Marshal(fromJSON)
	require.NoError(t, err)
	have, err := json.Marshal(got)
	require.NoError(t, err)
	require.Equal(t, string(want), string(have))
	for i := range got {
		require.True(t, got[i].Time.Equal(fromJSON[i].Time), "event %d: time", i)
		require.Equal(t, fromJSON[i].Time.Location().String(), got[i].Time.Location().String(), "event %d: zone", i)
		require.True(t, got[i].Spend.Equal(fromJSON[i].Spend), "event %d: spend", i)
	}
}

func TestActivityCodecMatchesJSON(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 4, 5, 123456789, time.UTC)
	requireActivityAsJSON(t, []QualifyingEvent{
		{Time: at, Spend: decimal.New(5000, -2), Purchases: 1, Points: 50, Purchase: "p-1"},
		{Time: at.Add(time.Hour).In(time.FixedZone("CST", 8*3600)), Spend: decimal.New(-25, 0), Points: -25, Count: 3},
		{Time: at.AddDate(-2, 0, 0), Spend: decimal.RequireFromString("12345678901234567890.125"), Purchases: 4, Count: 4},
		{Spend: decimal.Zero, Purchase: "é\"<>"},
	})
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	for range 500 {
		events := make([]QualifyingEvent, rng.IntN(20))
		for i := range events {
			events[i] = QualifyingEvent{
				Time:      time.Unix(1_600_000_000+rng.Int64N(400_000_000), rng.Int64N(1e9)).In(time.FixedZone("", 900*(rng.IntN(97)-48))),
				Spend:     decimal.New(rng.Int64N(2e9)-1e9, -int32(rng.IntN(6))),
				Purchases: rng.Int64N(5) - 1, Points: rng.Int64N(1e7) - 5e6, Count: rng.Int64N(30),
			}
			if rng.IntN(2) == 0 {
				events[i].Purchase = "p-" + decimal.NewFromInt(rng.Int64N(1e6)).String()
			}
			events[i].Month = rng.IntN(4) == 0
		}
		requireActivityAsJSON(t, events)
	}
}

// The state document carries the activity in binary, and a document that
// holds it as the JSON array (written before) reads the same.
func TestStateKeepsActivityInBinary(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	pts, err := ledger.FromHeader(ledger.Header{ID: "m1", Version: 1})
	require.NoError(t, err)
	a := Account{MemberID: "m1", Version: 1, Points: pts, Activity: []QualifyingEvent{
		{Time: at, Spend: decimal.NewFromInt(50), Purchases: 1, Points: 50, Purchase: "p1"},
		{Time: at.Add(time.Hour), Spend: decimal.NewFromInt(-20), Points: -20},
	}}
	d, err := a.Docs()
	require.NoError(t, err)
	var st map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(d.State, &st))
	require.Contains(t, st, "activityBin")
	require.NotContains(t, st, "activity")
	got, err := AccountFromDocs("m1", 1, d)
	require.NoError(t, err)
	requireSameActivity(t, a.Activity, got.Activity)

	old, err := json.Marshal(accountState{Activity: a.Activity})
	require.NoError(t, err)
	d.State = old
	got, err = AccountFromDocs("m1", 1, d)
	require.NoError(t, err)
	requireSameActivity(t, a.Activity, got.Activity)

	d.State = []byte(`{"activityBin":"AGFjdDEB"}`) // the magic, then a count of one and nothing
	_, err = AccountFromDocs("m1", 1, d)
	require.Error(t, err, "a cut activity")
}

func requireSameActivity(t *testing.T, want, got []QualifyingEvent) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	require.JSONEq(t, string(w), string(g))
}

// FuzzActivityCodec: no input makes the decoder panic, and whatever it
// accepts encodes back to the same bytes.
func FuzzActivityCodec(f *testing.F) {
	raw, err := encodeActivity([]QualifyingEvent{{Time: time.Unix(1_700_000_000, 5).UTC(), Spend: decimal.New(5, -1), Purchases: 1, Points: 3, Purchase: "p"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(activityMagic))
	f.Fuzz(func(t *testing.T, raw []byte) {
		events, err := decodeActivity(raw)
		if err != nil || len(events) == 0 {
			return
		}
		again, err := encodeActivity(events)
		require.NoError(t, err)
		back, err := decodeActivity(again)
		require.NoError(t, err)
		requireSameActivity(t, events, back)
	})
}

// An activity written in the first binary version, which has no flags,
// still reads: its events are no month summaries.
func TestActivityCodecReadsVersion1(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	want := []QualifyingEvent{
		{Time: at, Spend: decimal.NewFromInt(50), Purchases: 1, Points: 50, Purchase: "p1"},
		{Time: at.Add(time.Hour), Spend: decimal.NewFromInt(-20), Points: -20, Count: 2},
	}
	w := recWriter{}
	w.b = append(w.b, activityMagicV1...)
	w.uint(uint64(len(want)))
	for _, e := range want {
		w.time(e.Time)
		w.decimal(e.Spend)
		w.int(e.Purchases)
		w.int(e.Points)
		w.int(e.Count)
		w.str(e.Purchase)
	}
	require.NoError(t, w.err)
	got, err := decodeActivity(w.b)
	require.NoError(t, err)
	requireSameActivity(t, want, got)
	bad, err := encodeActivity([]QualifyingEvent{{Time: at, Month: true}})
	require.NoError(t, err)
	bad[len(bad)-1] = 2 // a flag no version defines
	_, err = decodeActivity(bad)
	require.Error(t, err)
}
