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
		{"Copies", "ReturnedEntriesAreCopies", copiesEntries},
		{"Copies", "ReturnedOperationsAreCopies", copiesOperations},
	}
}

// scribble changes, in place, everything an account shares through
// slices, maps and pointers (whatever of it the account has: a broken
// store may return less).
func scribble(a *loyalty.Account) {
	for i := range a.Activity {
		a.Activity[i].Points, a.Activity[i].Spend = 999, decimal.NewFromInt(999)
	}
	for i := range a.Coupons {
		a.Coupons[i].ID, a.Coupons[i].UsedOn = "scribbled", "scribbled"
	}
	if a.Tier.Override != nil {
		a.Tier.Override.Tier = "scribbled"
	}
	for _, lines := range a.Returned {
		for i := range lines {
			lines[i].Line = 99
		}
	}
	if a.Returned != nil {
		a.Returned["scribbled"] = nil
	}
	for k := range a.PaidWith {
		a.PaidWith[k] = "scribbled"
	}
	if a.PaidWith != nil {
		a.PaidWith["scribbled"] = "scribbled"
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

// copiesInput changes the write after Save returned: the store must have
// kept its own copy.
func copiesInput(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.acct, m.entries = w.Account.Clone(), cloneEntries(w.Entries)
	op := *w.Operation
	op.Result = append([]byte(nil), op.Result...)
	require.NoError(t, s.Save(t.Context(), w))
	scribble(&w.Account)
	scribbleEntries(w.Entries)
	for i := range w.Operation.Result {
		w.Operation.Result[i] = ' '
	}
	w.Operation.Hash = "scribbled"
	assertStored(t, s, m)
	assertOperation(t, s, &op)
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
			b := read(t)
			assertAccount(t, m.acct, b)
		})
	}
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
