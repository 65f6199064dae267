package postgres

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/require"
)

// randomValue sets v, by reflection, to a random value of its type, so a
// field added to ledger.Entry or ledger.Draw is filled too (and the test
// fails until entryWriter writes it).
func randomValue(r *rand.Rand, v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("", -(3*3600 + 1800))}
		v.Set(reflect.ValueOf(time.Unix(r.Int64N(4e9)-1e9, r.Int64N(1e9)*int64(r.IntN(2))).In(zones[r.IntN(len(zones))])))
	case v.Kind() == reflect.String:
		words := []string{"", "m1#3", "earn", "lane-12", "a<b", "x\"y", "茶", "back\\slash", "\x01", "\xff", "a&b"}
		w := words[r.IntN(len(words))]
		if r.IntN(3) > 0 {
			w = words[r.IntN(4)] // mostly plain, as stored entries are
		}
		v.SetString(w)
	case v.Kind() == reflect.Int64:
		v.SetInt(r.Int64() - r.Int64())
	case v.Kind() == reflect.Slice:
		if r.IntN(4) == 0 {
			return // nil
		}
		n := r.IntN(3)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			randomValue(r, v.Index(i))
		}
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			randomValue(r, v.Field(i))
		}
	default:
		panic("randomValue: no case for " + v.Type().String())
	}
}

// encodeEntry writes what json.Marshal does, for entries of every field
// set at random (escapes, HTML characters, invalid UTF-8, zones included).
func TestEncodeEntryIsJSON(t *testing.T) {
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(uint64(seed), 11))
	plainOnes := 0
	for range 2000 {
		var e ledger.Entry
		randomValue(r, reflect.ValueOf(&e).Elem())
		want, wantErr := json.Marshal(e)
		got, err := encodeEntry(e)
		require.Equal(t, wantErr, err)
		require.Equal(t, string(want), string(got))
		if (&entryWriter{}).entry(&e) {
			plainOnes++
		}
	}
	require.Greater(t, plainOnes, 100, "the direct path wrote too few entries to test it")
}

// FuzzEncodeEntry: json.Marshal's bytes, whatever the strings and times.
func FuzzEncodeEntry(f *testing.F) {
	f.Add(int64(1), "m#1", "earn", int64(10), int64(1e9), int64(0), "lane-1", "l1", "")
	f.Add(int64(-5), "a<b", "\xff", int64(-3), int64(-1e12), int64(3600), "", "", "x\"")
	f.Fuzz(func(t *testing.T, seq int64, id, kind string, points, unix, offset int64, ref, lot, reason string) {
		e := ledger.Entry{Seq: seq, ID: id, Account: id, Kind: ledger.EntryKind(kind), Points: points, Held: -points,
			Time: time.Unix(unix, 0).In(time.FixedZone("", int(offset%86400))), Reference: ref, Purchase: ref, Reason: reason,
			Draws: []ledger.Draw{{LotID: lot, Points: points}}}
		want, wantErr := json.Marshal(e)
		got, err := encodeEntry(e)
		if wantErr != nil {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
	})
}
