package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// The two statements of every earn, the holder read and the save, go
// through queryRow instead of pgx's Query: their parameters are encoded
// by wireArgs, and their one row is handed over as the protocol's values.
//
// pgx's generic path looks up an encode plan for every parameter and a
// scan plan for every result column, copies every column it scans, and
// shrinks its parameter buffer back to 256 bytes after any statement that
// used more — which a save, with its account documents, operation result
// and entry, always does, so every save grew the buffer again through
// four allocations. Profiled at 8 lanes (BENCHMARKS.md, eighth session),
// that was about a seventh of the client's CPU in an earn and a quarter
// of its bytes.
//
// Everything here is PostgreSQL's binary format for a handful of types;
// any other parameter type goes to pgx's encoder, so the fast path is
// only ever a shortcut to the same bytes (FuzzWireArgs checks it against
// pgx).

// wireArgs is one statement's parameters in the binary format, in one
// buffer reused from statement to statement.
type wireArgs struct {
	buf    []byte
	spans  [][2]int // each value's start and end in buf; start < 0 is NULL
	values [][]byte
}

// wireArgsPool recycles parameter buffers between statements.
var wireArgsPool = sync.Pool{New: func() any { return &wireArgs{buf: make([]byte, 0, 2048)} }}

// The type OIDs the fast path encodes and decodes.
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidText        = 25
	oidVarchar     = 1043
	oidTimestamptz = 1184
	oidJSONB       = 3802
)

// y2k is where PostgreSQL's binary timestamps count from, in Unix
// microseconds.
const y2k = 946684800 * 1000000

// encode sets w to args as parameters of the types oids, in the binary
// format; m encodes the values the fast path does not know.
func (w *wireArgs) encode(m *pgtype.Map, oids []uint32, args []any) error {
	if len(oids) != len(args) {
		return fmt.Errorf("postgres: %d parameters for a statement of %d", len(args), len(oids))
	}
	if w.buf == nil { // an empty value must not read as NULL
		w.buf = make([]byte, 0, 256)
	}
	w.buf, w.spans, w.values = w.buf[:0], w.spans[:0], w.values[:0]
	for i, a := range args {
		start := len(w.buf)
		null, err := w.add(m, oids[i], a)
		if err != nil {
			return fmt.Errorf("postgres: parameter $%d: %w", i+1, err)
		}
		if null {
			start = -1
		}
		w.spans = append(w.spans, [2]int{start, len(w.buf)})
	}
	// Slices are taken only now: the buffer may have moved while growing.
	for _, s := range w.spans {
		var v []byte
		if s[0] >= 0 {
			v = w.buf[s[0]:s[1]:s[1]]
		}
		w.values = append(w.values, v)
	}
	return nil
}

// add appends a, a parameter of type oid, and reports whether it is NULL.
func (w *wireArgs) add(m *pgtype.Map, oid uint32, a any) (null bool, err error) {
	if v, ok := a.([]byte); ok && oid == oidBytea {
		if v == nil {
			return true, nil
		}
		w.buf = append(w.buf, v...)
		return false, nil
	}
	if w.fast(oid, a) {
		return false, nil
	}
	buf, err := m.Encode(oid, pgtype.BinaryFormatCode, a, w.buf)
	if err != nil {
		return false, err
	}
	if buf == nil {
		return true, nil
	}
	w.buf = buf
	return false, nil
}

// fast appends a as a value of type oid if it is a string, int64, bool
// or time.Time of that type, or a pointer to one (a pointer boxes into an
// interface without an allocation, a time or a string does not), and
// reports whether it did.
func (w *wireArgs) fast(oid uint32, a any) bool {
	switch v := a.(type) {
	case string:
		return w.text(oid, v)
	case *string:
		return v != nil && w.text(oid, *v)
	case int64:
		return w.int8(oid, v)
	case *int64:
		return v != nil && w.int8(oid, *v)
	case bool:
		return w.bool(oid, v)
	case *bool:
		return v != nil && w.bool(oid, *v)
	case time.Time:
		return w.timestamptz(oid, v)
	case *time.Time:
		return v != nil && w.timestamptz(oid, *v)
	}
	return false
}

func (w *wireArgs) text(oid uint32, v string) bool {
	if oid != oidText && oid != oidVarchar {
		return false
	}
	w.buf = append(w.buf, v...)
	return true
}

func (w *wireArgs) int8(oid uint32, v int64) bool {
	if oid != oidInt8 {
		return false
	}
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(v))
	return true
}

func (w *wireArgs) bool(oid uint32, v bool) bool {
	if oid != oidBool {
		return false
	}
	b := byte(0)
	if v {
		b = 1
	}
	w.buf = append(w.buf, b)
	return true
}

// timestamptz appends v as microseconds since 2000 in UTC, as the server
// keeps it (whatever v's location).
func (w *wireArgs) timestamptz(oid uint32, v time.Time) bool {
	if oid != oidTimestamptz {
		return false
	}
	us := v.Unix()*1000000 + int64(v.Nanosecond())/1000 - y2k
	w.buf = binary.BigEndian.AppendUint64(w.buf, uint64(us))
	return true
}

// binaryFormat asks for every parameter, or every result column, in the
// binary format.
var binaryFormat = []int16{pgtype.BinaryFormatCode}

// errWireType is a result column whose type is not the one its reader
// decodes: the schema is not the one this adapter migrated.
var errWireType = errors.New("postgres: result column of an unexpected type")

// queryRow runs sql with args on a pooled connection, the statement
// prepared once per connection, and calls row, if not nil, with the first
// row's values in the binary format (nil for NULL). The values are the
// connection's buffer: row must copy what it keeps. columns, if not nil,
// are the type OIDs row decodes, checked against the statement's. It
// reports whether there was a row.
//
// A statement the server no longer has as prepared (a DEALLOCATE, a
// pooler's reset) or whose plan a schema change made return other types
// is prepared again and run once more, as pgx's own cache does: the
// server refuses both before executing anything.
func (db *DB) queryRow(ctx context.Context, sql string, args []any, columns []uint32, row func([][]byte) error) (bool, error) {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer c.Release()
	for attempt := 0; ; attempt++ {
		found, err := runPrepared(ctx, c.Conn(), sql, args, columns, row)
		if attempt == 0 && stalePrepared(err) {
			if err := c.Conn().Deallocate(ctx, sql); err != nil {
				return false, err
			}
			continue
		}
		return found, err
	}
}

// stalePrepared reports whether the server refused a prepared statement
// as gone (26000) or as planned for other result types (0A000).
func stalePrepared(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "26000" || pg.Code == "0A000")
}

// runPrepared is one attempt of queryRow on conn.
func runPrepared(ctx context.Context, conn *pgx.Conn, sql string, args []any, columns []uint32, row func([][]byte) error) (bool, error) {
	sd, err := conn.Prepare(ctx, sql, sql)
	if err != nil {
		return false, err
	}
	if columns != nil {
		if len(sd.Fields) != len(columns) {
			return false, errWireType
		}
		for i, f := range sd.Fields {
			if f.DataTypeOID != columns[i] {
				return false, fmt.Errorf("column %s: %w", f.Name, errWireType)
			}
		}
	}
	w := wireArgsPool.Get().(*wireArgs)
	defer func() {
		if cap(w.buf) <= 1<<16 { // a huge write's buffer is not kept
			wireArgsPool.Put(w)
		}
	}()
	if err := w.encode(conn.TypeMap(), sd.ParamOIDs, args); err != nil {
		return false, err
	}
	rr := conn.PgConn().ExecStatement(ctx, sd, w.values, binaryFormat, binaryFormat)
	found := false
	var rowErr error
	for rr.NextRow() {
		if !found && row != nil {
			rowErr = row(rr.Values())
		}
		found = true
	}
	if _, err := rr.Close(); err != nil {
		return false, err
	}
	return found, rowErr
}

// wireInt8 decodes a binary bigint, nil for NULL.
func wireInt8(v []byte) (*int64, error) {
	if v == nil {
		return nil, nil
	}
	if len(v) != 8 {
		return nil, fmt.Errorf("bigint of %d bytes: %w", len(v), errWireType)
	}
	n := int64(binary.BigEndian.Uint64(v))
	return &n, nil
}

// wireText decodes a binary text, nil for NULL.
func wireText(v []byte) *string {
	if v == nil {
		return nil
	}
	s := string(v)
	return &s
}

// wireBool decodes a binary boolean (NULL is false).
func wireBool(v []byte) bool { return len(v) == 1 && v[0] != 0 }

// wireJSONB returns the text of a binary jsonb, nil for NULL.
func wireJSONB(v []byte) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	if len(v) == 0 || v[0] != 1 {
		return nil, fmt.Errorf("jsonb of an unknown version: %w", errWireType)
	}
	return v[1:], nil
}
