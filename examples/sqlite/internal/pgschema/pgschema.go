package pgschema

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DSNEnv names the server.
const DSNEnv = "CLIENTELE_PG_DSN"

var schemas atomic.Int64

// Available reports whether a server is configured.
func Available() bool { return os.Getenv(DSNEnv) != "" }

// Fresh creates an empty schema and returns the DSN that makes it the
// search path; the schema is dropped when the test ends. Without a server
// the test is skipped, except in CI (CI set), where that is a failure.
func Fresh(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(DSNEnv)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: CI must start PostgreSQL before this module's tests (see .ci/run)", DSNEnv)
		}
		t.Skipf("no PostgreSQL: set %s to replay into central services on PostgreSQL", DSNEnv)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgschema: connect: %v", err)
	}
	defer admin.Close(ctx)
	schema := fmt.Sprintf("lane%d_%d", os.Getpid(), schemas.Add(1))
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("pgschema: create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		if err == nil {
			_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			_ = c.Close(context.Background())
		}
	})
	return WithSearchPath(dsn, schema)
}

// WithSearchPath returns dsn (a URL or key=value string) with the schema
// as its search path.
func WithSearchPath(dsn, schema string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return strings.TrimSpace(dsn) + " search_path=" + schema
}
