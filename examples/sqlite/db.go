package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is a SQLite database file holding clientele's stores.
//
// It keeps two connection pools on the one file: a writer with a single
// connection, whose transactions begin IMMEDIATE (they take the write lock
// at BEGIN, so two writers never deadlock upgrading a read lock), and
// readers. The file is in WAL mode, so readers never block the writer nor
// the writer the readers, and every connection waits up to the busy
// timeout for a lock held by another process (a lane's sync tool, a
// backup) before it reports SQLITE_BUSY.
type DB struct {
	w  *sql.DB // one connection: every write, in BEGIN IMMEDIATE transactions
	r  *sql.DB // readers
	rd reader  // r through prepared statements

	// stmts caches the readers' prepared statements by text: parsing a
	// statement costs about as much as running a small one, and the
	// adapter's queries are a fixed set (database/sql prepares a cached
	// statement again on each reader connection the first time it runs
	// there).
	stmts sync.Map // query: *sql.Stmt

	// wstmts caches the writer's prepared statements by text. A statement
	// can be prepared on the writer pool only between transactions (its
	// one connection is the running transaction's), so a query a
	// transaction runs for the first time runs unprepared and is prepared
	// after the commit; later transactions run it through Tx.StmtContext,
	// which reuses the statement prepared on the connection. Parsing was
	// about a third of an earn's CPU before (BENCHMARKS.md, issue 19).
	wstmts sync.Map // query: *sql.Stmt

	// trace, when set (by tests), is told every statement's text before
	// it runs, with "w:" or "r:" for the writer or a reader.
	trace func(query string)
}

// prepared returns the cached statement of query on the reader pool,
// preparing it the first time.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := db.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := db.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// reader runs reads on the reader pool through cached statements.
type reader struct{ db *DB }

func (r reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if r.db.trace != nil {
		r.db.trace("r:" + query)
	}
	s, err := r.db.prepared(ctx, query)
	if err != nil {
		return r.db.r.QueryRowContext(ctx, query, args...) // reports the same failure
	}
	return s.QueryRowContext(ctx, args...)
}

func (r reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if r.db.trace != nil {
		r.db.trace("r:" + query)
	}
	s, err := r.db.prepared(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// wtx is a write transaction. Its statements run through the writer's
// cached prepared statements (see DB.wstmts); those it runs for the first
// time are listed in fresh, for tx to prepare after the commit.
type wtx struct {
	tx    *sql.Tx
	db    *DB
	fresh []string
}

// stmt returns the transaction's form of the cached statement of query,
// or nil (and lists the query) when it is not prepared yet.
func (t *wtx) stmt(ctx context.Context, query string) *sql.Stmt {
	if t.db.trace != nil {
		t.db.trace("w:" + query)
	}
	if s, ok := t.db.wstmts.Load(query); ok {
		return t.tx.StmtContext(ctx, s.(*sql.Stmt))
	}
	t.fresh = append(t.fresh, query)
	return nil
}

func (t *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

func (t *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// Options tune Open. The zero value is the safe default.
type Options struct {
	// BusyTimeout is how long a connection waits for a lock another
	// process holds; 0 means 5 seconds.
	BusyTimeout time.Duration
	// Synchronous is SQLite's synchronous setting: "FULL" (the default)
	// makes every commit durable against power loss; "NORMAL" in WAL mode
	// may lose the last commits on power loss but never corrupts the file;
	// "OFF" is for bulk loads that can be redone from scratch (a crash of
	// the machine may corrupt the file).
	Synchronous string
	// Readers bounds the reader connections; 0 means 4.
	Readers int
}

// Open opens (creating it if needed) the database file at path and brings
// its schema up to date with Migrate.
func Open(ctx context.Context, path string, opt Options) (*DB, error) {
	// The driver reads what follows the first '?' as its parameters, and
	// a name starting with "file:" as a URI (where '%' escapes are
	// decoded); any other name is the file's path as it is.
	if path == "" || strings.Contains(path, "?") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlite: path %q: %w", path, ErrInvalidPath)
	}
	busy := opt.BusyTimeout
	if busy <= 0 {
		busy = 5 * time.Second
	}
	syncMode := strings.ToUpper(opt.Synchronous)
	switch syncMode {
	case "":
		syncMode = "FULL"
	case "FULL", "NORMAL", "EXTRA", "OFF":
	default:
		return nil, fmt.Errorf("sqlite: synchronous %q: %w", opt.Synchronous, ErrInvalidOption)
	}
	readers := opt.Readers
	if readers <= 0 {
		readers = 4
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+syncMode+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	dsn := path + "?" + q.Encode()

	w, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	db := &DB{w: w, r: r}
	db.rd = reader{db}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Errors of Open.
var (
	// ErrInvalidPath: the path is empty, holds a '?' (the driver would
	// read what follows as parameters) or starts with "file:" (a URI).
	ErrInvalidPath = errors.New("sqlite: invalid database path")
	// ErrInvalidOption: an Options field holds a value SQLite does not
	// take.
	ErrInvalidOption = errors.New("sqlite: invalid option")
)

// Close closes the cached statements and both pools.
func (db *DB) Close() error {
	var errs []error
	for _, cache := range []*sync.Map{&db.stmts, &db.wstmts} {
		cache.Range(func(k, s any) bool {
			errs = append(errs, s.(*sql.Stmt).Close())
			cache.Delete(k)
			return true
		})
	}
	return errors.Join(append(errs, db.r.Close(), db.w.Close())...)
}

// Migrate brings the schema up to date: every embedded migration not yet
// applied runs, in order of its number, each in its own transaction with
// its row in schema_migrations, so a crash mid-way leaves either all of a
// migration or none. Running it again does nothing.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
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
			return fmt.Errorf("sqlite: migration %s: name must start with a number", base)
		}
		text, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		err = db.tx(ctx, func(tx *wtx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)
				ON CONFLICT DO NOTHING`, version, time.Now().UnixMicro())
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err // applied before
			}
			_, err = tx.tx.ExecContext(ctx, string(text)) // many statements: never cached
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", base, err)
		}
	}
	return nil
}

// tx runs f in a write transaction (BEGIN IMMEDIATE on the one writer
// connection) and commits it if f returns nil.
func (db *DB) tx(ctx context.Context, f func(*wtx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	t := &wtx{tx: tx, db: db}
	defer func() { db.prepareWrites(context.WithoutCancel(ctx), t.fresh) }()
	if err := f(t); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	return tx.Commit()
}

// prepareWrites prepares the writer's statements a transaction ran for
// the first time, once it has ended and given the connection back. A
// statement that fails to prepare is left to run unprepared.
func (db *DB) prepareWrites(ctx context.Context, queries []string) {
	for _, q := range queries {
		if _, ok := db.wstmts.Load(q); ok {
			continue
		}
		s, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if _, loaded := db.wstmts.LoadOrStore(q, s); loaded {
			s.Close()
		}
	}
}

// ignoreDone drops the error a rollback reports when the transaction was
// already ended (by a cancelled context).
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// constraint reports whether err is a SQLite constraint violation (a
// unique or primary key taken).
func constraint(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}

// exists reports whether query (a SELECT of one row) finds a row.
func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// querier is the reader or a write transaction.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// micros is t as integer microseconds since the Unix epoch, the way every
// time column keeps it: integers compare in time order whatever zone t
// was in, and keep the microseconds a timestamp text would round.
func micros(t time.Time) int64 { return t.UnixMicro() }

// nullMicros is micros, with the zero time as NULL: for columns where
// zero means "none" (an expiry, a due time, an abandonment).
func nullMicros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros is the UTC time of a micros value; Go's zero time comes back
// as the zero time.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// fromNullMicros is fromMicros with NULL as the zero time.
func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicros(v.Int64)
}
