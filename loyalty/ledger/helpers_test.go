package ledger

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.AddDate(0, 0, n) }

// book is an account with its history, checked after every operation.
type book struct {
	t    *testing.T
	acct Account
	hist []Entry
}

func newBook(t *testing.T, id string) *book {
	t.Helper()
	a, err := New(id)
	require.NoError(t, err)
	return &book{t: t, acct: a}
}

// do applies an operation that must succeed and returns its entries.
func (b *book) do(next Account, entries []Entry, err error) []Entry {
	b.t.Helper()
	require.NoError(b.t, err)
	b.acct = next
	seen := b.hist
	b.hist = append(b.hist[:len(b.hist):len(b.hist)], entries...)
	require.NoError(b.t, CheckAppendOnly(seen, b.hist))
	require.NoError(b.t, CheckInvariants(b.acct, b.hist))
	return entries
}

// fails applies an operation that must fail and checks it changed nothing.
func (b *book) fails(_ Account, entries []Entry, err error) error {
	b.t.Helper()
	require.Error(b.t, err)
	require.Empty(b.t, entries)
	require.NoError(b.t, CheckInvariants(b.acct, b.hist))
	return err
}

func (b *book) lot(id string) Lot {
	b.t.Helper()
	l, ok := b.acct.Lot(id)
	require.True(b.t, ok, "lot %s", id)
	return l
}

func kinds(entries []Entry) []EntryKind {
	out := make([]EntryKind, len(entries))
	for i, e := range entries {
		out[i] = e.Kind
	}
	return out
}
