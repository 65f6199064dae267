package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a PostgreSQL database holding clientele's stores.
type DB struct {
	pool  *pgxpool.Pool
	reads earnReads // holder reads kept for the earn's prefetch (earn_reads.go)
}

// Open connects to the database at dsn (a libpq URL or key=value string).
// Pass a search_path in the DSN to keep clientele's tables in a schema of
// their own. The pool holds at most DefaultMaxConns connections unless
// the DSN sets pool_max_conns (pgxpool's other pool_ settings apply too).
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: config: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns()
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	return &DB{pool: pool}, nil
}

// DefaultMaxConns is the pool's size when the DSN does not set
// pool_max_conns: 4 connections per CPU of this process, at least 8.
//
// pgxpool's own default, max(4, NumCPU), sizes the pool by the client's
// CPUs. But a lane (a goroutine serving one till) holds a connection only
// for one statement's round trip and works in Go between statements, and
// an operation is several statements (an earn reads its replay record,
// the customer and the account, then saves), so with fewer connections
// than busy lanes, lanes queue for a connection while a server with CPUs
// to spare idles. Issue 11 measured 8 lanes at 0.72x pgbench's TPC-B rate
// over 4 connections and 0.96x over a pool sized to the lanes. On a
// shared 2-CPU machine whose server was already saturated, 4 and 8
// connections measured alike (BENCHMARKS.md, issue 11 lanes): the larger
// pool costs a few idle backends where it does not help.
func DefaultMaxConns() int32 { return int32(max(8, 4*runtime.NumCPU())) }

// Close closes the connection pool.
func (db *DB) Close() { db.pool.Close() }

// Migrate brings the schema up to date: every migration not yet applied
// runs, in order, each in its own transaction, recorded in
// schema_migrations. Running it again does nothing.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		version, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("postgres: migration %s: name must start with a number", base)
		}
		sql, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = db.tx(ctx, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1) ON CONFLICT DO NOTHING`, version)
			if err != nil || tag.RowsAffected() == 0 {
				return err // applied before
			}
			_, err = tx.Exec(ctx, string(sql))
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", base, err)
		}
	}
	return nil
}

// maxAttempts bounds the retries of a transaction that failed with a
// serialization failure or deadlock, which PostgreSQL (and the distributed
// databases that speak its protocol) report for the caller to retry.
const maxAttempts = 8

// tx runs f in a transaction, retrying it on serialization failures and
// deadlocks. f must be safe to run again.
func (db *DB) tx(ctx context.Context, f func(pgx.Tx) error) error {
	var err error
	for attempt := range maxAttempts {
		err = pgx.BeginFunc(ctx, db.pool, f)
		if !retryable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(1<<attempt) * time.Millisecond):
		}
	}
	return err
}

func retryable(err error) bool {
	if err == nil { // errors.As would cost the target's allocation
		return false
	}
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// uniqueViolation reports whether err broke the named unique constraint.
func uniqueViolation(err error, constraint string) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23505" && pg.ConstraintName == constraint
}
