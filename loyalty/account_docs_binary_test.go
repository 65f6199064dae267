package loyalty

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBinaryDocsKnowEveryField fails when a type the binary documents
// write gains or loses a field: the codec would drop it silently.
func TestBinaryDocsKnowEveryField(t *testing.T) {
	for _, c := range []struct {
		v      any
		fields []string
	}{
		{Account{}, []string{"MemberID", "Version", "Points", "Tier", "TierMarks", "Activity", "Purchases", "MergedInto", "MergingInto", "MergingAt"}},
		{accountState{}, []string{"Tier", "TierMarks", "Activity", "ActivityBin", "Purchases", "MergedInto", "MergingInto", "MergingAt"}},
		{TierState{}, []string{"Tier", "Since", "MemberSince", "GuaranteedUntil", "GraceUntil", "GraceSince", "NextReview", "Override", "Seen"}},
		{TierOverride{}, []string{"Tier", "Until", "Reason"}},
		{TierMark{}, []string{"At", "State"}},
		{ledger.Header{}, []string{"ID", "Version", "Seq", "Debt", "LastActivity", "Totals", "Remaining", "Pending", "Held"}},
		{ledger.Totals{}, []string{"Earned", "Released", "Redeemed", "Refunded", "Expired", "ClawedBack", "DebtIncurred", "DebtPaid",
			"AdjustedUp", "AdjustedDown", "MergedIn", "MergedOut"}},
	} {
		typ := reflect.TypeOf(c.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		assert.Equal(t, c.fields, got, "%s: update account_docs_binary.go and this list", typ)
	}
}

// TestBinaryDocsDecodeAsJSONDid: random accounts decode from their binary
// documents exactly as from their JSON documents, zones included.
func TestBinaryDocsDecodeAsJSONDid(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 11))
	for range 500 {
		a := randomAccount(t, rng)
		j, err := a.Docs()
		require.NoError(t, err)
		b, err := a.BinaryDocs()
		require.NoError(t, err)
		require.True(t, isBinaryDoc(b.Header) && isBinaryDoc(b.State))
		fromJSON, jerr := AccountFromDocs(a.MemberID, a.Version, j)
		fromBinary, berr := AccountFromDocs(a.MemberID, a.Version, b)
		require.Equal(t, jerr == nil, berr == nil, "%v / %v", jerr, berr)
		if jerr != nil {
			continue
		}
		requireSameAccount(t, fromJSON, fromBinary)
		mixed, err := AccountFromDocs(a.MemberID, a.Version, AccountDocs{Header: j.Header, State: b.State})
		require.NoError(t, err, "one document of each form")
		requireSameAccount(t, fromJSON, mixed)
	}
}

func requireSameAccount(t *testing.T, want, got Account) {
	t.Helper()
	require.Equal(t, want.Points.Header(), got.Points.Header())
	require.Equal(t, want.Tier, got.Tier)
	require.Equal(t, want.TierMarks, got.TierMarks)
	requireSameActivity(t, want.Activity, got.Activity)
	require.Equal(t, len(want.Activity), len(got.Activity))
	require.Equal(t, want.Activity == nil, got.Activity == nil)
	require.Equal(t, []any{want.MemberID, want.Version, want.Purchases, want.MergedInto, want.MergingInto, want.MergingAt},
		[]any{got.MemberID, got.Version, got.Purchases, got.MergedInto, got.MergingInto, got.MergingAt})
}

var docZones = []*time.Location{time.UTC, time.FixedZone("", 8*3600), time.FixedZone("CST", -6*3600), time.FixedZone("", 0),
	time.FixedZone("", 5*3600+30*60+17), time.Local}

func randomTime(rng *rand.Rand) time.Time {
	if rng.IntN(4) == 0 {
		return time.Time{}
	}
	t := time.Unix(1_500_000_000+rng.Int64N(400_000_000), rng.Int64N(1e9)*int64(rng.IntN(2)))
	return t.In(docZones[rng.IntN(len(docZones))])
}

func randomTier(rng *rand.Rand) TierState {
	s := TierState{Tier: []string{"", "silver", "gold"}[rng.IntN(3)], Since: randomTime(rng), MemberSince: randomTime(rng),
		GuaranteedUntil: randomTime(rng), GraceUntil: randomTime(rng), GraceSince: randomTime(rng), NextReview: randomTime(rng),
		Seen: randomTime(rng)}
	if rng.IntN(3) == 0 {
		s.Override = &TierOverride{Tier: "gold", Until: randomTime(rng), Reason: []string{"", "staff"}[rng.IntN(2)]}
	}
	return s
}

func randomAccount(t *testing.T, rng *rand.Rand) Account {
	n := func() int64 { return rng.Int64N(1_000_000) }
	h := ledger.Header{ID: "m1", Version: n(), Seq: n(), LastActivity: randomTime(rng), Remaining: 100 + n(), Held: rng.Int64N(50)}
	h.Pending = rng.Int64N(h.Remaining)
	if rng.IntN(3) == 0 {
		h.Debt = n()
	}
	for _, v := range totalsOf(&h.Totals) {
		*v = n()
	}
	pts, err := ledger.FromHeader(h)
	if err != nil {
		pts, err = ledger.FromHeader(ledger.Header{ID: "m1"})
		require.NoError(t, err)
	}
	a := Account{MemberID: "m1", Version: 1 + n(), Points: pts, Tier: randomTier(rng), Purchases: n()}
	for range rng.IntN(4) {
		a.TierMarks = append(a.TierMarks, TierMark{At: randomTime(rng), State: randomTier(rng)})
	}
	for range rng.IntN(5) {
		a.Activity = append(a.Activity, QualifyingEvent{Time: randomTime(rng).UTC(), Spend: decimal.New(rng.Int64N(100000), -2),
			Purchases: rng.Int64N(3), Points: n(), Count: rng.Int64N(3), Purchase: []string{"", "p1"}[rng.IntN(2)]})
	}
	if rng.IntN(4) == 0 {
		a.MergedInto = "m2"
	}
	if rng.IntN(4) == 0 {
		a.MergingInto, a.MergingAt = "m3", randomTime(rng)
	}
	return a
}

// FuzzBinaryDocs: no input makes the decoders panic, and an account they
// accept comes back the same from its own binary documents once its times
// have been through them (a time read in an offset with seconds comes
// back in the offset its RFC 3339 text gives, as from JSON).
func FuzzBinaryDocs(f *testing.F) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 8 {
		a := randomAccount(&testing.T{}, rng)
		d, err := a.BinaryDocs()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(d.Header, d.State)
	}
	f.Fuzz(func(t *testing.T, header, state []byte) {
		h, herr := decodeHeader(header)
		var st accountState
		serr := st.decodeBinary(state)
		if herr != nil || serr != nil {
			return
		}
		if _, err := ledger.FromHeader(h); err != nil {
			return
		}
		if _, err := decodeActivity(st.ActivityBin); err != nil {
			return
		}
		a, err := AccountFromDocs(h.ID, 1, AccountDocs{Header: header, State: state})
		require.NoError(t, err)
		once := roundTrip(t, a)
		requireSameAccount(t, once, roundTrip(t, once))
	})
}

func roundTrip(t *testing.T, a Account) Account {
	t.Helper()
	d, err := a.BinaryDocs()
	require.NoError(t, err)
	got, err := AccountFromDocs(a.MemberID, a.Version, d)
	require.NoError(t, err)
	return got
}
