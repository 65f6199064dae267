package loyaltytest

import (
	"testing"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func copyRules() []rule {
	return []rule{
		{"Copies", "WriteIsNotKept", copiesInput},
		{"Copies", "ReturnedAccountsAreCopies", copiesAccounts},
		{"Copies", "ReturnedLotsAreCopies", copiesLots},
		{"Copies", "ReturnedRecordsAreCopies", copiesRecords},
		{"Copies", "ReturnedEntriesAreCopies", copiesEntries},
		{"Copies", "ReturnedOperationsAreCopies", copiesOperations},
	}
}

// scribble changes, in place, everything an account shares through
// slices and pointers (whatever of it the account has: a broken store may
// return less).
func scribble(a *loyalty.Account) {
	for i := range a.Activity {
		a.Activity[i].Points, a.Activity[i].Spend = 999, decimal.NewFromInt(999)
	}
	if a.Tier.Override != nil {
		a.Tier.Override.Tier = "scribbled"
	}
}

func scribbleEntries(entries []ledger.Entry) {
	for i := range entries {
		entries[i].Points = -999
		for j := range entries[i].Draws {
			entries[i].Draws[j].LotID = "scribbled"
		}
	}
}

func scribbleLots(lots []ledger.Lot) {
	for i := range lots {
		lots[i].ID, lots[i].Remaining = "scribbled", -1
	}
}

func scribbleRecords(recs []loyalty.Record) {
	for i := range recs {
		for j := range recs[i].Data {
			recs[i].Data[j] = 'x'
		}
		recs[i].Key = "scribbled"
	}
}

// copiesInput changes the write after Save returned, its slices and the
// bytes they point to: the store must have kept its own copy.
func copiesInput(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.saved(cloneWrite(w))
	op := *w.Operation
	op.Result = append([]byte(nil), op.Result...)
	require.NoError(t, s.Save(t.Context(), w))
	scribble(&w.Account)
	scribbleEntries(w.Entries)
	scribbleLots(w.Lots)
	scribbleRecords(w.Records)
	for i := range w.Operation.Result {
		w.Operation.Result[i] = ' '
	}
	w.Operation.Hash = "scribbled"
	assertStored(t, s, m)
	assertOperation(t, s, &op)
}

// cloneWrite returns a copy of w sharing nothing mutable with it.
func cloneWrite(w loyalty.Write) loyalty.Write {
	out := loyalty.Write{Account: w.Account.Clone(), Entries: cloneEntries(w.Entries)}
	out.Lots = append([]ledger.Lot(nil), w.Lots...)
	for _, r := range w.Records {
		out.Records = append(out.Records, cloneRecord(r))
	}
	if w.Operation != nil {
		op := *w.Operation
		op.Result = append([]byte(nil), op.Result...)
		out.Operation = &op
	}
	return out
}

func cloneEntries(entries []ledger.Entry) []ledger.Entry {
	out := make([]ledger.Entry, len(entries))
	for i, e := range entries {
		e.Draws = append([]ledger.Draw(nil), e.Draws...)
		out[i] = e
	}
	return out
}

func copiesAccounts(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	reads := map[string]func(t *testing.T) loyalty.Account{
		"GetAccount": func(t *testing.T) loyalty.Account {
			a, err := s.GetAccount(ctx, "M00001")
			require.NoError(t, err)
			return a
		},
		"Accounts": func(t *testing.T) loyalty.Account {
			all := kit.Collect(t, s.Accounts(ctx, ""))
			require.Len(t, all, 1)
			return all[0]
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			a := read(t)
			scribble(&a)
			assertStored(t, s, m)
		})
	}
}

func copiesLots(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	ids := lotIDs(m.wantLots())
	got, err := s.Lots(ctx, "M00001", ids)
	require.NoError(t, err)
	scribbleLots(got)
	scribbleLots(kit.Collect(t, s.SpendingLots(ctx, "M00001")))
	scribbleLots(kit.Collect(t, s.PendingLots(ctx, "M00001", at(365*day))))
	scribbleLots(kit.Collect(t, s.AllLots(ctx, "M00001")))
	got, err = s.Lots(ctx, "M00001", ids)
	require.NoError(t, err)
	assertLots(t, m.wantLots(), got, "Lots")
	assertStored(t, s, m)
}

func copiesRecords(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	for _, kind := range recordKinds {
		want := m.wantRecords(kind)
		got, err := s.GetRecords(ctx, "M00001", kind, recordKeys(want))
		require.NoError(t, err)
		scribbleRecords(got)
		scribbleRecords(kit.Collect(t, s.Records(ctx, "M00001", kind)))
		got, err = s.GetRecords(ctx, "M00001", kind, recordKeys(want))
		require.NoError(t, err)
		assertRecords(t, want, got, "GetRecords "+string(kind))
	}
	assertStored(t, s, m)
}

func copiesEntries(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	scribbleEntries(storedEntries(t, s, "M00001"))
	assertEntries(t, m.entries, storedEntries(t, s, "M00001"))
	scribbleEntries(kit.Collect(t, s.Entries(t.Context(), "M00001", 2)))
	assertEntries(t, m.entries, storedEntries(t, s, "M00001"))
}

func copiesOperations(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	got, err := s.GetOperation(t.Context(), w.Operation.Key)
	require.NoError(t, err)
	require.NotEmpty(t, got.Result)
	for i := range got.Result {
		got.Result[i] = 'x'
	}
	got.Result = append(got.Result[:0], "{}"...)
	assertOperation(t, s, w.Operation)
}
