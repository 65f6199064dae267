package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestChangesOfAnAccountFromBeforeTheJournal: an account saved before
// migration 032 has no journal rows for its versions then, so Changes
// cannot name what they wrote and says so (loyalty.ErrChangesGone, the
// caller copies the account whole); from its version at the migration
// on, the saves after it are journalled and answered exactly.
func TestChangesOfAnAccountFromBeforeTheJournal(t *testing.T) {
	db, dsn := blankSchema(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	applyUpTo(t, conn, 31)
	old := loyalty.Account{MemberID: "m", Version: 3, Points: pointsAt(t, "m", 2)}
	docs, err := old.BinaryDocs()
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `INSERT INTO loyalty_accounts (member_id, version, header, state) VALUES ('m', 3, $1, $2)`,
		docs.Header, docs.State)
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx))
	store := db.JournaledLoyalty()
	feed, ok := store.(loyalty.ChangeFeed)
	require.True(t, ok, "the store is a ChangeFeed")
	_, plain := db.Loyalty().(loyalty.ChangeFeed)
	require.False(t, plain, "Loyalty keeps no journal, so it answers no Changes")

	changes := func(since int64) (loyalty.Changes, error) { return feed.Changes(ctx, "m", since) }
	for since := range int64(3) {
		_, err := changes(since)
		assert.ErrorIs(t, err, loyalty.ErrChangesGone, "since %d, before the journal", since)
	}
	got, err := changes(3)
	require.NoError(t, err)
	assert.Equal(t, loyalty.Changes{Version: 3, EntriesAfter: 2}, got, "nothing since the migration")

	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	lot := ledger.Lot{ID: "l1", EarnEntry: "m#3", Origin: ledger.KindEarn, Source: "p1", Amount: 10, Remaining: 10,
		EarnedAt: at, Released: true}
	require.NoError(t, store.Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: "m", Version: 4, Points: pointsAt(t, "m", 3)},
		Entries: []ledger.Entry{{Seq: 3, ID: "m#3", Account: "m", Kind: ledger.KindEarn, Points: 10, Time: at}},
		Lots:    []ledger.Lot{lot},
		Records: []loyalty.Record{{Kind: loyalty.RecordPurchase, Key: "p1", Data: []byte(`{}`)}}}))
	lot.Remaining = 4
	require.NoError(t, store.Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: "m", Version: 5, Points: pointsAt(t, "m", 3)},
		Lots:    []ledger.Lot{lot},
		Records: []loyalty.Record{{Kind: loyalty.RecordCoupon, Key: "k1", Data: []byte(`{}`)}}}))

	_, err = changes(2)
	assert.ErrorIs(t, err, loyalty.ErrChangesGone, "still before the journal")
	want := map[int64]loyalty.Changes{
		3: {Version: 5, EntriesAfter: 2, Lots: []string{"l1"},
			Records: []loyalty.RecordRef{{Kind: loyalty.RecordCoupon, Key: "k1"}, {Kind: loyalty.RecordPurchase, Key: "p1"}}},
		4: {Version: 5, EntriesAfter: 3, Lots: []string{"l1"}, Records: []loyalty.RecordRef{{Kind: loyalty.RecordCoupon, Key: "k1"}}},
		5: {Version: 5, EntriesAfter: 3},
	}
	for since, w := range want {
		got, err := changes(since)
		require.NoError(t, err, "since %d", since)
		assert.Equal(t, w, got, "since %d", since)
	}
	_, err = changes(6)
	assert.ErrorIs(t, err, loyalty.ErrChangesGone, "ahead of the account")
	// A save through the unjournaled store leaves a gap: the versions
	// before it are gone, never answered short.
	require.NoError(t, db.Loyalty().Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: "m", Version: 6, Points: pointsAt(t, "m", 3)},
		Records: []loyalty.Record{{Kind: loyalty.RecordCoupon, Key: "k2", Data: []byte(`{}`)}}}))
	require.NoError(t, store.Save(ctx, loyalty.Write{Account: loyalty.Account{MemberID: "m", Version: 7, Points: pointsAt(t, "m", 3)}}))
	for since := range int64(6) {
		_, err := changes(since)
		assert.ErrorIs(t, err, loyalty.ErrChangesGone, "since %d, across the unjournaled save", since)
	}
	got, err = changes(6)
	require.NoError(t, err)
	assert.Equal(t, loyalty.Changes{Version: 7, EntriesAfter: 3}, got, "since the unjournaled save")
	_, err = feed.Changes(ctx, "never", 0)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

// pointsAt returns a member's points account with its last entry at seq.
func pointsAt(t *testing.T, member string, seq int64) ledger.Account {
	t.Helper()
	pts, err := ledger.FromHeader(ledger.Header{ID: member, Seq: seq})
	require.NoError(t, err)
	return pts
}
