package postgres_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// applyUpTo runs the migration files numbered up to last by hand and
// records them, as Migrate would have done before the later ones existed.
// The numbers have gaps (006–009, for one, were never used): a number
// without a file is skipped, but last itself must have one.
func applyUpTo(t *testing.T, conn *pgx.Conn, last int) {
	t.Helper()
	ctx := t.Context()
	_, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
	require.NoError(t, err)
	for v := 1; v <= last; v++ {
		names, err := filepath.Glob(fmt.Sprintf("migrations/%03d_*.sql", v))
		require.NoError(t, err)
		require.LessOrEqual(t, len(names), 1, "migration %d", v)
		if len(names) == 0 {
			require.NotEqual(t, last, v, "no migration %d", v)
			continue
		}
		sql, err := os.ReadFile(names[0])
		require.NoError(t, err)
		_, err = conn.Exec(ctx, string(sql))
		require.NoError(t, err, names[0])
		_, err = conn.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, v)
		require.NoError(t, err)
	}
}

// A merge recorded before attempts were numbered (migration 005) becomes
// attempt 1, in force: it still blocks a merge elsewhere, and once
// abandoned it is followed by attempt 2 and kept.
func TestMergeRecordsFromBeforeAttemptsAreAttemptOne(t *testing.T) {
	db, dsn := blankSchema(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer func() { _ = conn.Close(context.Background()) }()
	applyUpTo(t, conn, 4)
	_, err = conn.Exec(ctx, `INSERT INTO merges (duplicate, doc) VALUES ('c-2',
		'{"survivor":"c-1","duplicate":"c-2","at":"2026-03-02T09:00:00+08:00","actor":"staff-7","identities":1}')`)
	require.NoError(t, err)
	require.NoError(t, db.Migrate(ctx))

	s := db.Customers()
	old, err := s.GetMerge(ctx, "c-2")
	require.NoError(t, err)
	assert.Equal(t, 1, old.Attempt)
	assert.False(t, old.Abandoned())
	assert.Equal(t, "c-1", old.Survivor)
	next := customer.MergeRecord{Survivor: "c-3", Duplicate: "c-2", At: time.Now().Truncate(time.Microsecond), Actor: "t", Attempt: 2}
	require.ErrorIs(t, s.AddMerge(ctx, next), customer.ErrAlreadyExists, "the old record is in force")

	lostAt := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	require.NoError(t, s.AbandonMerge(ctx, "c-2", 1, lostAt))
	require.NoError(t, s.AddMerge(ctx, next))
	all, err := s.MergeAttempts(ctx, "c-2")
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.True(t, all[0].AbandonedAt.Equal(lostAt))
	assert.Equal(t, "c-3", all[1].Survivor)
}
