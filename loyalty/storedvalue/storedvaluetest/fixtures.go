package storedvaluetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// base is the fixtures' first instant; its microseconds are not zero, so
// a store that rounds to milliseconds shows.
var base = time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC)

func at(d time.Duration) time.Time { return base.Add(d) }

const day = 24 * time.Hour

var (
	shanghai = mustZone("Asia/Shanghai")
	newYork  = mustZone("America/New_York")
)

func mustZone(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, 8*3600)
	}
	return l
}

// account is a fixture account and the writes made to it so far.
type account struct {
	hdr storedvalue.Account
}

func wallet(id string) *account {
	return &account{hdr: storedvalue.Account{ID: id, Type: storedvalue.WalletAccount, State: storedvalue.Active,
		Holder: "member-" + id, Currency: "CNY", CreatedAt: at(0)}}
}

// next returns the account's next write: version +1, with entries for
// the parts it credits numbered on.
func (a *account) next(opKey string, parts ...storedvalue.Part) storedvalue.Write {
	h := a.hdr
	h.Version++
	w := storedvalue.Write{Parts: parts}
	for _, p := range parts {
		if p.Kind == storedvalue.BonusPart {
			h.Bonus += p.Remaining
		} else {
			h.Paid += p.Remaining
		}
		h.Seq++
		w.Entries = append(w.Entries, storedvalue.Entry{Seq: h.Seq, Kind: storedvalue.EntryTopUp, Op: opKey, At: p.CreatedAt, Paid: p.Remaining})
	}
	if opKey != "" {
		w.Operation = &storedvalue.Operation{Key: opKey, AccountID: h.ID, Hash: "h-" + opKey, Result: []byte(`{"ok":1}`)}
	}
	w.Account = h
	return w
}

// save saves w, requiring success, and makes it the account's state.
func (a *account) save(t *testing.T, s storedvalue.Store, w storedvalue.Write) {
	t.Helper()
	require.NoError(t, s.Save(t.Context(), w))
	a.hdr = w.Account.Clone()
}

func paid(id string, amount int64, created time.Time) storedvalue.Part {
	return storedvalue.Part{ID: id, Kind: storedvalue.PaidPart, Source: "op-" + id, Amount: amount, Remaining: amount, CreatedAt: created}
}

func bonus(id string, amount int64, created, expires time.Time) storedvalue.Part {
	p := paid(id, amount, created)
	p.Kind, p.ExpiresAt = storedvalue.BonusPart, expires
	return p
}

// create saves a new wallet with one paid part per ID.
func create(t *testing.T, s storedvalue.Store, id string) *account {
	t.Helper()
	a := wallet(id)
	a.save(t, s, a.next("create:"+id, paid(id+"-p", 100, at(0))))
	return a
}

// requireHeader requires the stored header to equal want, times by
// instant.
func requireHeader(t *testing.T, want, got storedvalue.Account) {
	t.Helper()
	assertTime(t, want.CreatedAt, got.CreatedAt, "CreatedAt")
	want.CreatedAt, got.CreatedAt = time.Time{}, time.Time{}
	if want.Punch != nil && got.Punch != nil {
		wp, gp := *want.Punch, *got.Punch
		assertTime(t, wp.ValidFrom, gp.ValidFrom, "Punch.ValidFrom")
		assertTime(t, wp.ValidUntil, gp.ValidUntil, "Punch.ValidUntil")
		wp.ValidFrom, wp.ValidUntil, gp.ValidFrom, gp.ValidUntil = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		want.Punch, got.Punch = &wp, &gp
	}
	require.Equal(t, want, got)
}

func assertTime(t *testing.T, want, got time.Time, what string) {
	t.Helper()
	assert.Truef(t, want.Equal(got), "%s: stored %v, read back %v", what, want, got)
}

// stored requires the store to hold the fixture account's header.
func stored(t *testing.T, s storedvalue.Store, a *account) {
	t.Helper()
	got, err := s.GetAccount(t.Context(), a.hdr.ID)
	require.NoError(t, err)
	requireHeader(t, a.hdr, got)
}

func partIDs(ps []storedvalue.Part) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func entries(t *testing.T, s storedvalue.Store, id string, after int64) []storedvalue.Entry {
	t.Helper()
	return kit.Collect(t, s.Entries(t.Context(), id, after))
}

func seqs(es []storedvalue.Entry) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func ids(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%02d", prefix, i)
	}
	return out
}
