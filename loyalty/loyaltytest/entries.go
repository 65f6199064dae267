package loyaltytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func entryRules() []rule {
	return []rule{
		{"Entries", "SeqOrderAsWritten", entriesInOrder},
		{"Entries", "AfterSeqFilters", entriesAfterSeq},
		{"Entries", "OnlyTheMembersEntries", entriesOfMember},
		{"Entries", "UnknownMemberIsEmpty", entriesUnknown},
		{"Entries", "NeverChangedByLaterWrites", entriesNeverChange},
		{"Entries", "LongHistoryInOrder", entriesLong},
		{"Entries", "IDAndAccountAsWritten", entriesAsWritten},
	}
}

// shopping saves a member's account and then a few more writes of one or
// more entries each, some correcting earlier ones.
func shopping(t *testing.T, s loyalty.Store, id string) *member {
	t.Helper()
	m, w := fullMember(t, id)
	m.save(t, s, w)
	for _, w := range updates(t, m) {
		m.save(t, s, w)
	}
	m.save(t, s, m.next(t, "refund:"+id+":refund-1", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.RefundRedemption("refund-1", "redeem-1", 20, at(3*day))
	}))
	m.save(t, s, m.next(t, "", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
		return a.ReleaseDue(at(20 * day))
	}))
	return m
}

func entriesInOrder(t *testing.T, s loyalty.Store) {
	m := shopping(t, s, "M00001")
	require.Greater(t, len(m.entries), 8, "the fixture writes a real history")
	got := storedEntries(t, s, "M00001")
	assertEntries(t, m.entries, got)
	for i, e := range got {
		assert.Equalf(t, int64(i+1), e.Seq, "entry %d", i)
	}
}

func entriesAfterSeq(t *testing.T, s loyalty.Store) {
	m := shopping(t, s, "M00001")
	n := int64(len(m.entries))
	for after := int64(-1); after <= n+1; after++ {
		t.Run(fmt.Sprintf("after=%d", after), func(t *testing.T) {
			want := m.entries[min(max(after, 0), n):]
			assertEntries(t, want, kit.Collect(t, s.Entries(t.Context(), "M00001", after)))
		})
	}
}

func entriesOfMember(t *testing.T, s loyalty.Store) {
	a, wa := simpleWrite(t, "M00001", 10)
	b, wb := simpleWrite(t, "M000010", 20) // M00001 is a prefix of it
	a.save(t, s, wa)
	b.save(t, s, wb)
	for i := range 3 {
		when := at(time.Duration(i+1) * time.Hour)
		a.save(t, s, a.next(t, fmt.Sprintf("earn:a-%d", i), earn(fmt.Sprintf("a-%d", i), 5, when)))
		b.save(t, s, b.next(t, fmt.Sprintf("earn:b-%d", i), earn(fmt.Sprintf("b-%d", i), 7, when)))
	}
	assertEntries(t, a.entries, storedEntries(t, s, "M00001"))
	assertEntries(t, b.entries, storedEntries(t, s, "M000010"))
	assertEntries(t, b.entries[2:], kit.Collect(t, s.Entries(t.Context(), "M000010", 2)))
}

// entriesAsWritten: an entry comes back with the ID and account it was
// written with, even where those are not the ledger's own for the member
// and sequence number it is kept under (an entry imported from another
// system, or a fixture's). A store that keeps entries under their key and
// leaves the two out of the document (loyalty.EncodeEntry does, when they
// are the key's) must still give back the ones that differ.
func entriesAsWritten(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	w = m.next(t, "earn:M00001:imported", chain(earn("lot-a", 5, at(time.Hour)), earn("lot-b", 7, at(2*time.Hour))))
	require.Len(t, w.Entries, 2)
	w.Entries[0].ID = "legacy-crm/000417"
	w.Entries[1].Account = "M00002"
	m.save(t, s, w)
	assertEntries(t, m.entries, storedEntries(t, s, "M00001"))
}

// entriesUnknown: the service's statement of a member with no account is
// empty, not an error.
func entriesUnknown(t *testing.T, s loyalty.Store) {
	assert.Empty(t, storedEntries(t, s, "M00001"), "empty store")
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	assert.Empty(t, storedEntries(t, s, "M00002"))
}

// entriesNeverChange reads the history after every write and requires
// every entry read before to be still there, unchanged, even as later
// entries correct it.
func entriesNeverChange(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	seen := storedEntries(t, s, "M00001")
	steps := []func() loyalty.Write{
		func() loyalty.Write { return updates(t, m)[0] },
		func() loyalty.Write {
			return m.next(t, "return:M00001:return-2", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
				return a.ClawBack("return-2", "order-lot-3", 40, at(4*day), ledger.AllowDebt)
			})
		},
		func() loyalty.Write {
			return m.next(t, "refund:M00001:refund-1", func(a ledger.Account) (ledger.Account, []ledger.Entry, error) {
				return a.RefundRedemption("refund-1", "redeem-1", 50, at(5*day))
			})
		},
	}
	for _, step := range steps {
		m.save(t, s, step())
		now := storedEntries(t, s, "M00001")
		require.NoError(t, ledger.CheckAppendOnly(seen, now))
		for j, e := range seen {
			assert.Truef(t, e.Equal(now[j]), "entry %d changed after a later write: was %+v, now %+v", j+1, e, now[j])
		}
		seen = now
	}
	assertEntries(t, m.entries, seen)
	require.NoError(t, invariantsHold(t, s, "M00001"))
}

// entriesLong writes a history long enough that a store reading it in
// pages crosses several page boundaries.
func entriesLong(t *testing.T, s loyalty.Store) {
	m := newMember(t, "M00001")
	const writes, perWrite = 60, 12
	for i := range writes {
		ops := make([]ledgerOp, 0, perWrite)
		for j := range perWrite {
			ops = append(ops, earn(fmt.Sprintf("lot-%03d-%02d", i, j), int64(1+j), at(time.Duration(i*perWrite+j)*time.Second)))
		}
		m.save(t, s, m.next(t, fmt.Sprintf("earn:batch-%d", i), chain(ops...)))
	}
	assertEntries(t, m.entries, storedEntries(t, s, "M00001"))
	for _, after := range []int64{1, 255, 256, 257, 511, 700, writes*perWrite - 1} {
		assertEntries(t, m.entries[after:], kit.Collect(t, s.Entries(t.Context(), "M00001", after)))
	}
	require.NoError(t, invariantsHold(t, s, "M00001"))
}
