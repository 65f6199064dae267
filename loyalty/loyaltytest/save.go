package loyaltytest

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func lookupRules() []rule {
	return []rule{
		{"GetAccount", "MissingIsNotFound", getAccountMissing},
		{"GetOperation", "MissingIsNotFound", getOperationMissing},
	}
}

func saveRules() []rule {
	return []rule{
		{"Save", "CreateIsVersionOneAndRoundTrips", saveCreate},
		{"Save", "UpdateIsVersionPlusOneAndRoundTrips", saveUpdate},
		{"Save", "UpdateReplacesTheWholeAccount", saveReplaces},
		{"Save", "WithoutEntriesOrOperation", saveBare},
	}
}

func getAccountMissing(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	_, err := s.GetAccount(ctx, "M00001")
	require.ErrorIs(t, err, loyalty.ErrNotFound, "empty store")
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	_, err = s.GetAccount(ctx, "M00002")
	require.ErrorIs(t, err, loyalty.ErrNotFound, "another member's account exists")
	_, err = s.GetAccount(ctx, "m00001")
	require.ErrorIs(t, err, loyalty.ErrNotFound, "member IDs are case-sensitive")
}

func getOperationMissing(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	_, err := s.GetOperation(ctx, "earn:M00001")
	require.ErrorIs(t, err, loyalty.ErrNotFound, "empty store")
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	_, err = s.GetOperation(ctx, "earn:M00002")
	require.ErrorIs(t, err, loyalty.ErrNotFound, "another operation exists")
	_, err = s.GetOperation(ctx, "M00001")
	require.ErrorIs(t, err, loyalty.ErrNotFound, "a member ID is not an operation key")
}

func saveCreate(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	require.Equal(t, int64(1), w.Account.Version)
	m.save(t, s, w)
	assertStored(t, s, m)
	assertOperation(t, s, w.Operation)
	require.NoError(t, invariantsHold(t, s, m.acct.MemberID))
}

// updates is a member's life after fullMember's first write: more
// shopping with a coupon used and a merge started, then the merge
// finished.
func updates(t *testing.T, m *member) []loyalty.Write {
	t.Helper()
	id := m.acct.MemberID
	w2 := m.next(t, "redeem:"+id+":redeem-2", chain(
		func(a ledger.Account) (ledger.Account, []ledger.Entry, error) { return a.CommitHold("hold-1", at(day)) },
		earn("lot-3", 40, at(2*day)),
		redeem("redeem-2", 15, at(2*day+time.Microsecond)),
	))
	a := &w2.Account
	a.Purchases++
	a.Activity = append(a.Activity, loyalty.QualifyingEvent{Time: at(2 * day).In(chatham), Spend: decimal.New(4000, -2), Purchases: 1, Points: 40})
	a.Returned["order-1"] = []customer.ReturnLine{{Line: 2, Quantity: decimal.New(25, -2)}}
	a.PaidWith["order-lot-3"] = "redeem-2"
	a.Coupons[0].UsedAt, a.Coupons[0].UsedOn = at(2*day), "order-lot-3"
	a.Tier.Tier, a.Tier.Since = "gold", at(2*day).In(newYork)
	a.MergingInto, a.MergingAt = "M99999", at(3*day).In(shanghai)

	w3 := loyalty.Write{Account: w2.Account.Clone()}
	w3.Account.Version++
	w3.Account.MergingInto, w3.Account.MergingAt, w3.Account.MergedInto = "", time.Time{}, "M99999"
	return []loyalty.Write{w2, w3}
}

func saveUpdate(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	for _, w := range updates(t, m) {
		m.save(t, s, w)
		assertStored(t, s, m)
		if w.Operation != nil {
			assertOperation(t, s, w.Operation)
		}
	}
	require.Equal(t, int64(3), m.acct.Version)
	require.NoError(t, invariantsHold(t, s, m.acct.MemberID))
}

// saveReplaces writes an account that drops what the previous version
// had: the store keeps the new state, not a merge of both.
func saveReplaces(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	w = m.next(t, "", nil)
	a := &w.Account
	a.Tier = loyalty.TierState{MemberSince: at(0)}
	a.Activity = a.Activity[2:]
	a.Returned, a.PaidWith, a.Coupons = nil, map[string]string{}, nil
	a.Purchases = 0
	m.save(t, s, w)
	assertStored(t, s, m)
}

// saveBare writes only a new account state, as a tier review does.
func saveBare(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	w = m.next(t, "", nil)
	w.Account.Tier.Tier = "silver"
	m.save(t, s, w)
	assertStored(t, s, m)
	w = m.next(t, "", nil)
	w.Entries = []ledger.Entry{} // empty, not nil
	m.save(t, s, w)
	assertStored(t, s, m)
}

// invariantsHold runs CheckInvariants on the member's stored account.
func invariantsHold(t *testing.T, s loyalty.Store, memberID string) error {
	t.Helper()
	_, err := CheckInvariants(t.Context(), s, memberID, nil)
	return err
}
