package loyaltytest

import (
	"fmt"
	"testing"
	"time"

	"github.com/clientele-go/clientele/internal/kit"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lookupRules() []rule {
	return []rule{
		{"GetAccount", "MissingIsNotFound", getAccountMissing},
		{"GetAccount", "PointsIsThePartialHeader", getAccountPartial},
		{"GetOperation", "MissingIsNotFound", getOperationMissing},
	}
}

func saveRules() []rule {
	return []rule{
		{"Save", "CreateIsVersionOneAndRoundTrips", saveCreate},
		{"Save", "UpdateIsVersionPlusOneAndRoundTrips", saveUpdate},
		{"Save", "UpdateReplacesTheWholeHeader", saveReplaces},
		{"Save", "WithoutEntriesOrOperation", saveBare},
		{"Save", "LotsReplaceTheSameID", saveLotsReplace},
		{"Save", "LotsAreKeyedPerMember", saveLotsPerMember},
		{"Save", "RecordsReplaceTheSameKindAndKey", saveRecordsReplace},
		{"Save", "RecordsAreKeyedPerMember", saveRecordsPerMember},
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

// getAccountPartial: GetAccount returns ledger.FromHeader of the stored
// header, a partial account holding no lots or operations, so that reading
// an account costs the same whatever the member's history.
func getAccountPartial(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	got, err := s.GetAccount(t.Context(), "M00001")
	require.NoError(t, err)
	assert.True(t, got.Points.Partial(), "Points is not a partial account built by ledger.FromHeader")
	n := 0
	for range got.Points.AllLots() {
		n++
	}
	assert.Zero(t, n, "Points holds lots: GetAccount read the member's history")
	for range got.Points.Operations() {
		assert.Fail(t, "Points holds ledger operations: GetAccount read the member's history")
		break
	}
	assertHeader(t, m.acct.Points.Header(), got.Points.Header())
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
	require.NotEmpty(t, w.Lots)
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
	a.Tier.Tier, a.Tier.Since = "gold", at(2*day).In(newYork)
	a.MergingInto, a.MergingAt = "M99999", at(3*day).In(shanghai)
	w2.Records = append(w2.Records,
		loyalty.Record{Kind: loyalty.RecordPurchase, Key: "order-lot-3", Data: []byte(`{"paidWith":"redeem-2"}`)},
		loyalty.Record{Kind: loyalty.RecordCoupon, Key: "cp-1", Data: []byte(`{"id":"cp-1","usedOn":"order-lot-3"}`)},
	)

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
}

// saveReplaces writes a header that drops what the previous version had:
// the store keeps the new header, not a merge of both.
func saveReplaces(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	w = m.next(t, "", nil)
	a := &w.Account
	a.Tier = loyalty.TierState{MemberSince: at(0)}
	a.Activity = a.Activity[2:]
	a.Purchases = 0
	m.save(t, s, w)
	assertStored(t, s, m)
}

// saveBare writes only a new header, as a tier review does.
func saveBare(t *testing.T, s loyalty.Store) {
	m, w := simpleWrite(t, "M00001", 10)
	m.save(t, s, w)
	w = m.next(t, "", nil)
	w.Account.Tier.Tier = "silver"
	m.save(t, s, w)
	assertStored(t, s, m)
	w = m.next(t, "", nil)
	w.Entries, w.Lots, w.Records = []ledger.Entry{}, []ledger.Lot{}, []loyalty.Record{} // empty, not nil
	m.save(t, s, w)
	assertStored(t, s, m)
}

// saveLotsReplace: a redemption rewrites the lots it draws from; the
// store keeps the new state of those lots and leaves the others alone.
func saveLotsReplace(t *testing.T, s loyalty.Store) {
	m := newMember(t, "M00001")
	m.save(t, s, m.next(t, "earn:1", chain(
		earnLot("soon", 10, at(0), time.Time{}, at(10*day)),
		earnLot("later", 20, at(0), time.Time{}, at(20*day)),
		earnLot("never", 30, at(0), time.Time{}, time.Time{}),
	)))
	w := m.next(t, "redeem:1", redeem("r-1", 15, at(time.Hour)))
	require.Equal(t, []string{"later", "soon"}, lotIDs(w.Lots), "the fixture draws from two lots")
	m.save(t, s, w)
	assertStored(t, s, m)
	got, err := s.Lots(t.Context(), "M00001", []string{"soon", "later", "never"})
	require.NoError(t, err)
	assert.Equal(t, []int64{0, 15, 30}, remaining(got), "remaining points after the redemption")
	require.NoError(t, invariantsHold(t, s, "M00001"))
}

func remaining(lots []ledger.Lot) []int64 {
	out := make([]int64, 0, len(lots))
	for _, l := range lots {
		out = append(out, l.Remaining)
	}
	return out
}

// saveLotsPerMember: lot IDs are the member's (a lane numbers its lots
// per receipt); two members' lots with one ID are two lots.
func saveLotsPerMember(t *testing.T, s loyalty.Store) {
	a, b := newMember(t, "M00001"), newMember(t, "M000010")
	a.save(t, s, a.next(t, "earn:a", earnLot("lot-1", 10, at(0), time.Time{}, at(10*day))))
	b.save(t, s, b.next(t, "earn:b", earnLot("lot-1", 20, at(time.Hour), at(2*day), time.Time{})))
	a.save(t, s, a.next(t, "redeem:a", redeem("r-1", 4, at(2*time.Hour))))
	assertStored(t, s, a)
	assertStored(t, s, b)
	for _, m := range []*member{a, b} {
		got, err := s.Lots(t.Context(), m.acct.MemberID, []string{"lot-1"})
		require.NoError(t, err)
		assertLots(t, m.wantLots(), got, "Lots of "+m.acct.MemberID)
	}
}

// saveRecordsReplace: a record written again replaces the one with the
// same kind and key; records of other kinds or keys stay.
func saveRecordsReplace(t *testing.T, s loyalty.Store) {
	m, w := fullMember(t, "M00001")
	m.save(t, s, w)
	w = m.next(t, "", nil)
	w.Records = []loyalty.Record{
		{Kind: loyalty.RecordPurchase, Key: purchaseRecord.Key, Data: []byte(`{"clawedBack":40}`)},
		{Kind: loyalty.RecordCoupon, Key: purchaseRecord.Key, Data: []byte("a coupon that shares a purchase's key")},
		{Kind: loyalty.RecordRewardCount, Key: countRecord.Key, Data: []byte("3")},
		{Kind: loyalty.RecordRewardCount, Key: countRecord.Key + "x", Data: nil},
	}
	m.save(t, s, w)
	assertStored(t, s, m)
	got, err := s.GetRecords(t.Context(), "M00001", loyalty.RecordPurchase, []string{purchaseRecord.Key})
	require.NoError(t, err)
	assertRecords(t, []loyalty.Record{w.Records[0]}, got, "GetRecords")
}

// saveRecordsPerMember: two members' records with one kind and key are
// two records.
func saveRecordsPerMember(t *testing.T, s loyalty.Store) {
	a, wa := simpleWrite(t, "M00001", 10)
	b, wb := simpleWrite(t, "M000010", 10)
	wa.Records = append(wa.Records, loyalty.Record{Kind: loyalty.RecordCoupon, Key: "cp-1", Data: []byte("a's")})
	wb.Records = append(wb.Records, loyalty.Record{Kind: loyalty.RecordCoupon, Key: "cp-1", Data: []byte("b's")})
	a.save(t, s, wa)
	b.save(t, s, wb)
	w := a.next(t, "", nil)
	w.Records = []loyalty.Record{{Kind: loyalty.RecordCoupon, Key: "cp-1", Data: []byte("a's, used")}}
	a.save(t, s, w)
	assertStored(t, s, a)
	assertStored(t, s, b)
	for _, m := range []*member{a, b} {
		got, err := s.GetRecords(t.Context(), m.acct.MemberID, loyalty.RecordCoupon, []string{"cp-1"})
		require.NoError(t, err)
		assertRecords(t, m.wantRecords(loyalty.RecordCoupon), got, fmt.Sprintf("GetRecords of %s", m.acct.MemberID))
	}
	assert.Empty(t, kit.Collect(t, s.Records(t.Context(), "M0000", loyalty.RecordCoupon)), "a prefix of a member ID")
}

// invariantsHold runs CheckInvariants on the member's stored account.
func invariantsHold(t *testing.T, s loyalty.Store, memberID string) error {
	t.Helper()
	_, err := CheckInvariants(t.Context(), s, memberID, nil)
	return err
}
