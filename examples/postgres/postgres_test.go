package postgres_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/customer/customertest"
	"github.com/clientele-go/clientele/examples/postgres"
	"github.com/clientele-go/clientele/feedback"
	"github.com/clientele-go/clientele/feedback/feedbacktest"
	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/campaign"
	"github.com/clientele-go/clientele/loyalty/campaign/campaigntest"
	"github.com/clientele-go/clientele/loyalty/loyaltytest"
	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/clientele-go/clientele/loyalty/membership/membershiptest"
	"github.com/clientele-go/clientele/loyalty/referral"
	"github.com/clientele-go/clientele/loyalty/referral/referraltest"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dsnEnv names the server the tests use; CI sets it after starting a
// throw-away PostgreSQL 15.
const dsnEnv = "CLIENTELE_PG_DSN"

var schemas atomic.Int64

// freshDB returns a database in a schema of its own, migrated, and drops
// the schema when the test ends. Without a server it skips, except in CI,
// where a missing server is a failure.
func freshDB(t testing.TB) *postgres.DB {
	t.Helper()
	db, _ := freshSchema(t)
	return db
}

// freshSchema is freshDB that also returns the DSN of its schema, for
// tests that look at the schema itself.
func freshSchema(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	db, dsn := blankSchema(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, dsn
}

// blankSchema is freshSchema before any migration has run.
func blankSchema(t testing.TB) (*postgres.DB, string) {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must start PostgreSQL (see .ci/run)", dsnEnv)
		}
		t.Skipf("no PostgreSQL: set %s (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the adapter against a server", dsnEnv)
	}
	ctx := context.Background()
	schema := fmt.Sprintf("t%d_%d", os.Getpid(), schemas.Add(1))
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	schemaDSN := cfg.ConnString() + sep(cfg.ConnString()) + "search_path=" + schema
	db, err := postgres.Open(ctx, schemaDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		c, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			_ = c.Close(context.Background())
		}
	})
	return db, schemaDSN
}

func sep(dsn string) string {
	for _, c := range dsn {
		if c == '?' {
			return "&"
		}
	}
	return "?"
}

// emptiedDB returns a function that hands each subtest of a conformance
// kit the same migrated schema, emptied. The kits run their subtests one
// at a time and need isolation only from earlier subtests; TRUNCATE gives
// that for a fraction of the cost of a new schema and its migrations.
func emptiedDB(t *testing.T) func(t *testing.T) *postgres.DB {
	db, dsn := freshSchema(t)
	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	var tables string
	require.NoError(t, conn.QueryRow(t.Context(), `SELECT string_agg(quote_ident(table_name), ', ')
		FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`).Scan(&tables))
	return func(t *testing.T) *postgres.DB {
		_, err := conn.Exec(t.Context(), "TRUNCATE "+tables)
		require.NoError(t, err)
		return db
	}
}

func TestCustomerStoreConformance(t *testing.T) {
	fresh := emptiedDB(t)
	customertest.Run(t, func(t *testing.T) customer.Store { return fresh(t).Customers() })
}

func TestLoyaltyStoreConformance(t *testing.T) {
	fresh := emptiedDB(t)
	t.Run("journaled", func(t *testing.T) {
		loyaltytest.Run(t, func(t *testing.T) loyalty.Store { return fresh(t).JournaledLoyalty() })
	})
	t.Run("plain", func(t *testing.T) {
		loyaltytest.Run(t, func(t *testing.T) loyalty.Store { return fresh(t).Loyalty() })
	})
}

func TestFeedbackStoreConformance(t *testing.T) {
	fresh := emptiedDB(t)
	feedbacktest.Run(t, func(t *testing.T) feedback.Store { return fresh(t).Feedback() })
}

func TestMigrateTwiceIsANoOp(t *testing.T) {
	db := freshDB(t)
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestListedIDsCompareByteWise: the contracts list records in ID order
// and break time ties by ID, byte-wise as Go compares strings. The server
// orders text by the column's collation, so every ID column a listing
// orders by must be "C", whatever the database's default collation (a
// database created with en-US puts "a" before "B").
func TestListedIDsCompareByteWise(t *testing.T) {
	_, dsn := freshSchema(t)
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name || '.' || column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name IN ('id', 'member_id') AND data_type = 'text'
		AND collation_name IS DISTINCT FROM 'C' ORDER BY 1`)
	require.NoError(t, err)
	wrong, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Empty(t, wrong, "ID columns outside the C collation")

	var n int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name IN ('id', 'member_id')`).Scan(&n))
	assert.GreaterOrEqual(t, n, 12, "the check saw the schema's tables")
}

func TestCampaignStoreConformance(t *testing.T) {
	fresh := emptiedDB(t)
	campaigntest.Run(t, func(t *testing.T) campaign.Store { return fresh(t).Campaigns() })
}

func TestReferralStoreConformance(t *testing.T) {
	fresh := emptiedDB(t)
	referraltest.Run(t, func(t *testing.T) referral.Store { return fresh(t).Referrals() })
}

func TestMembershipStoreConformance(t *testing.T) {
	fresh := emptiedDB(t)
	membershiptest.Run(t, func(t *testing.T) membership.Store { return fresh(t).Memberships() })
}
