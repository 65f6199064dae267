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
	w  *sql.DB   // one connection, held as wc for the DB's life
	wc *sql.Conn // the writer: every write, in BEGIN IMMEDIATE transactions
	r  *sql.DB   // readers
	rd reader    // r through prepared statements

	// wsem admits one write transaction at a time to wc (a database/sql
	// transaction would have waited for the pool's one connection).
	wsem chan struct{}

	// stmts caches prepared statements: the readers' by their text (parsing
	// a statement costs about as much as running a small one, and the
	// adapter's queries are a fixed set; database/sql prepares a cached
	// statement again on each reader connection the first time it runs
	// there), the writer's by writerQuery(text), prepared once on wc.
	stmts sync.Map

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

// read runs a read statement and gives its rows to each, then closes
// them. It runs on the writer connection when no write transaction holds
// it (else on a reader): a connection that starts a read transaction
// after another connection committed drops its whole page cache and reads
// the pages again from the file and the WAL (about fifteen reads of the
// operating system per earn on the readers), while the writer's cache
// holds the pages it wrote itself. A write waiting for the writer waits
// for the statement; each must not call back into the DB. For short reads
// on an operation's path (the earn's purchase and prefetch).
func (db *DB) read(ctx context.Context, query string, args []any, each func(*sql.Rows) error) error {
	var rows *sql.Rows
	select {
	case db.wsem <- struct{}{}:
		defer func() { <-db.wsem }()
		if db.trace != nil {
			db.trace("r:" + query)
		}
		st, err := db.writerStmt(ctx, query)
		if err != nil {
			return err
		}
		if rows, err = st.QueryContext(ctx, args...); err != nil {
			return err
		}
	default:
		var err error
		if rows, err = db.rd.QueryContext(ctx, query, args...); err != nil {
			return err
		}
	}
	defer rows.Close()
	if err := each(rows); err != nil {
		return err
	}
	return rows.Err()
}

// wtx is a write transaction on the writer connection. Its statements run
// through statements prepared once on that connection (DB.writerStmt):
// the writer is held as one *sql.Conn and its transactions are BEGIN
// IMMEDIATE and COMMIT run as prepared statements, so a write parses no
// SQL and goes through no database/sql transaction (whose BeginTx starts
// a goroutine per transaction and whose Tx.StmtContext wraps every
// statement anew): about a tenth of an earn's CPU (BENCHMARKS.md, issue
// 19, fifth session).
type wtx struct {
	db *DB
}

// stmt returns the writer's prepared statement of query.
func (t *wtx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if t.db.trace != nil {
		t.db.trace("w:" + query)
	}
	return t.db.writerStmt(ctx, query)
}

func (t *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

func (t *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return t.db.wc.QueryRowContext(ctx, query, args...) // reports the same failure
	}
	return s.QueryRowContext(ctx, args...)
}

func (t *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := t.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// writerQuery keys a statement prepared on the writer in DB.stmts, apart
// from the readers' statements (keyed by their text).
type writerQuery string

// writerStmt returns query prepared on the writer connection, preparing
// it the first time. The writer is one connection held by the DB, so a
// statement can be prepared on it inside a transaction as well as outside.
func (db *DB) writerStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if v, ok := db.stmts.Load(writerQuery(query)); ok {
		return v.(*sql.Stmt), nil
	}
	st, err := db.wc.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := db.stmts.LoadOrStore(writerQuery(query), st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// writerStmts returns queries prepared on the writer connection (see
// writerStmt), for a store that runs them by index.
func (db *DB) writerStmts(ctx context.Context, queries []string) ([]*sql.Stmt, error) {
	out := make([]*sql.Stmt, len(queries))
	for i, q := range queries {
		var err error
		if out[i], err = db.writerStmt(ctx, q); err != nil {
			return nil, err
		}
	}
	return out, nil
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
// its schema up to date with Migrate. At synchronous FULL or EXTRA it
// then makes the WAL file as long as a checkpoint interval needs, so a
// commit's fsync follows an overwrite, not an append (see reserveWAL).
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
	wc, err := w.Conn(ctx)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open: %w", err), r.Close(), w.Close())
	}
	db := &DB{w: w, wc: wc, r: r, wsem: make(chan struct{}, 1)}
	db.rd = reader{db}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.reserveWAL(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: open: %w", err)
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

// Close closes the cached statements, the writer connection and both
// pools.
func (db *DB) Close() error {
	var errs []error
	db.stmts.Range(func(k, s any) bool {
		errs = append(errs, s.(*sql.Stmt).Close())
		db.stmts.Delete(k)
		return true
	})
	return errors.Join(append(errs, db.wc.Close(), db.r.Close(), db.w.Close())...)
}

// Migrate brings the schema up to date: every embedded migration not yet
// applied runs, in order of its number, each in its own transaction with
// its row in schema_migrations, so a crash mid-way leaves either all of a
// migration or none. Running it again does nothing.
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.wc.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
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
			_, err = tx.db.wc.ExecContext(ctx, string(text)) // many statements: never cached
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", base, err)
		}
	}
	return nil
}

// tx runs f in a write transaction (BEGIN IMMEDIATE on the writer
// connection) and commits it if f returns nil; otherwise, or if the
// commit fails, it rolls the transaction back. One runs at a time; a
// caller waits for its turn until ctx is done. The commit and the
// rollback run whatever ctx does meanwhile: once f is done, the
// transaction ends one way or the other.
func (db *DB) tx(ctx context.Context, f func(*wtx) error) error {
	select {
	case db.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-db.wsem }()
	if err := db.control(ctx, "BEGIN IMMEDIATE"); err != nil {
		return errors.Join(err, db.rollback())
	}
	if err := f(&wtx{db: db}); err != nil {
		return errors.Join(err, db.rollback())
	}
	if err := db.control(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		return errors.Join(err, db.rollback())
	}
	return nil
}

// control runs a transaction statement (BEGIN, COMMIT, ROLLBACK) prepared
// on the writer.
func (db *DB) control(ctx context.Context, stmt string) error {
	s, err := db.writerStmt(ctx, stmt)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(ctx)
	return err
}

// rollback ends the writer's transaction, if one is open: after a failed
// BEGIN or COMMIT there may be none, which is no failure.
func (db *DB) rollback() error {
	err := db.control(context.Background(), "ROLLBACK")
	var e *sqlite.Error
	if errors.As(err, &e) && strings.Contains(e.Error(), "no transaction is active") {
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
