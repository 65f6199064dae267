package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// FuzzWireArgs checks wireArgs against pgx: every parameter the fast path
// encodes comes out as the bytes pgx's own binary encoder writes for it,
// NULLs included, and a type the fast path does not know goes to pgx.
func FuzzWireArgs(f *testing.F) {
	f.Add("M-1", []byte("doc"), int64(7), true, int64(1733500000), int64(123456789), false)
	f.Add("", []byte{}, int64(-1), false, int64(-62135596800), int64(0), true)
	f.Add("会员", []byte(nil), int64(1<<62), true, int64(253402300799), int64(999999999), false)
	f.Fuzz(func(t *testing.T, s string, b []byte, n int64, flag bool, sec, nsec int64, nilBytes bool) {
		if nilBytes {
			b = nil
		}
		sec %= 300000000000 // about ±9,500 years around 1970
		nsec %= 1000000000
		at := time.Unix(sec, nsec).In(time.FixedZone("", int(n%50000)))
		m := pgtype.NewMap()
		oids := []uint32{oidText, oidVarchar, oidBytea, oidInt8, oidBool, oidTimestamptz, pgtype.TextArrayOID, pgtype.Int4OID,
			oidText, oidInt8, oidBool, oidTimestamptz, oidText, oidInt8}
		args := []any{s, s, b, n, flag, at, []string{s, "x"}, int32(n),
			&s, &n, &flag, &at, (*string)(nil), int32(n)} // pointers; a nil one; an int32 as a bigint
		var w wireArgs
		if err := w.encode(m, oids, args); err != nil {
			t.Fatal(err)
		}
		if len(w.values) != len(args) {
			t.Fatalf("%d values for %d arguments", len(w.values), len(args))
		}
		for i, a := range args {
			// A non-nil buffer, as pgx's own is: appending nothing to
			// nil would read as NULL.
			want, err := m.Encode(oids[i], pgtype.BinaryFormatCode, a, make([]byte, 0, 8))
			if err != nil {
				t.Fatalf("pgx: $%d: %v", i+1, err)
			}
			if (want == nil) != (w.values[i] == nil) || !bytes.Equal(want, w.values[i]) {
				t.Fatalf("$%d (%T): wire %x, pgx %x", i+1, a, w.values[i], want)
			}
		}
		// A second statement reuses the buffer and leaves no trace of
		// the first.
		if err := w.encode(m, oids[3:4], []any{n}); err != nil || len(w.values) != 1 || len(w.values[0]) != 8 {
			t.Fatalf("reused: %v, %x", err, w.values)
		}
	})
}

func TestWireArgsRefusesAMismatch(t *testing.T) {
	var w wireArgs
	if err := w.encode(pgtype.NewMap(), []uint32{oidText}, []any{""}); err != nil || w.values[0] == nil {
		t.Fatalf("an empty text alone: %v, NULL %v", err, w.values[0] == nil)
	}
	if err := w.encode(pgtype.NewMap(), []uint32{oidText}, nil); err == nil {
		t.Fatal("a missing parameter was taken")
	}
	if err := w.encode(pgtype.NewMap(), []uint32{oidInt8}, []any{struct{}{}}); err == nil {
		t.Fatal("a value pgx cannot encode was taken")
	}
}

func TestWireDecoders(t *testing.T) {
	var v [8]byte
	binary.BigEndian.PutUint64(v[:], uint64(1<<40+3))
	if n, err := wireInt8(v[:]); err != nil || *n != 1<<40+3 {
		t.Fatalf("int8: %v, %v", n, err)
	}
	if n, err := wireInt8(nil); n != nil || err != nil {
		t.Fatalf("NULL int8: %v, %v", n, err)
	}
	if _, err := wireInt8(v[:4]); !errors.Is(err, errWireType) {
		t.Fatalf("a 4-byte int8: %v", err)
	}
	if s := wireText([]byte("M-1")); s == nil || *s != "M-1" || wireText(nil) != nil {
		t.Fatal("text")
	}
	if !wireBool([]byte{1}) || wireBool([]byte{0}) || wireBool(nil) {
		t.Fatal("bool")
	}
	if j, err := wireJSONB([]byte("\x01{}")); err != nil || string(j) != "{}" {
		t.Fatalf("jsonb: %q, %v", j, err)
	}
	if _, err := wireJSONB([]byte("\x02{}")); !errors.Is(err, errWireType) {
		t.Fatalf("jsonb version 2: %v", err)
	}
	if j, err := wireJSONB(nil); j != nil || err != nil {
		t.Fatal("NULL jsonb")
	}
	a, b, c, d := keep4([]byte("ab"), nil, []byte{}, []byte("d"))
	if string(a) != "ab" || b != nil || c == nil || len(c) != 0 || string(d) != "d" {
		t.Fatalf("keep4: %q %q %q %q", a, b, c, d)
	}
	if a = append(a, 'x'); string(a) != "abx" || string(d) != "d" { // capacity is each value's own
		t.Fatal("keep4: values share capacity")
	}
}

// TestQueryRowPreparesAgain: a statement the server dropped (DEALLOCATE
// ALL, as a pooler's reset runs it) or whose result types a schema change
// moved is prepared again, not failed on every later call.
func TestQueryRowPreparesAgain(t *testing.T) {
	dsn := os.Getenv("CLIENTELE_PG_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CLIENTELE_PG_DSN is not set: CI must start PostgreSQL (see .ci/run)")
		}
		t.Skip("no PostgreSQL: set CLIENTELE_PG_DSN")
	}
	ctx := t.Context()
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	db, err := Open(ctx, dsn+sep+"pool_max_conns=1") // one connection: every call meets the last one's statement
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table := fmt.Sprintf("wire_prepared_%d", os.Getpid())
	if _, err := db.pool.Exec(ctx, "CREATE TABLE "+table+" (id text PRIMARY KEY, v int NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.pool.Exec(context.Background(), "DROP TABLE "+table) })
	if _, err := db.pool.Exec(ctx, "INSERT INTO "+table+" VALUES ('a', 7)"); err != nil {
		t.Fatal(err)
	}
	read := func() []byte {
		t.Helper()
		var got []byte
		found, err := db.queryRow(ctx, "SELECT v FROM "+table+" WHERE id = $1", []any{"a"}, nil, func(v [][]byte) error {
			got = append([]byte(nil), v[0]...)
			return nil
		})
		if err != nil || !found {
			t.Fatalf("read: found %v, %v", found, err)
		}
		return got
	}
	if got := read(); !bytes.Equal(got, []byte{0, 0, 0, 7}) {
		t.Fatalf("an int: %x", got)
	}
	if _, err := db.pool.Exec(ctx, "DEALLOCATE ALL"); err != nil {
		t.Fatal(err)
	}
	if got := read(); !bytes.Equal(got, []byte{0, 0, 0, 7}) {
		t.Fatalf("after DEALLOCATE ALL: %x", got)
	}
	if _, err := db.pool.Exec(ctx, "ALTER TABLE "+table+" ALTER COLUMN v TYPE bigint"); err != nil {
		t.Fatal(err)
	}
	if got := read(); !bytes.Equal(got, []byte{0, 0, 0, 0, 0, 0, 0, 7}) {
		t.Fatalf("after the column became a bigint: %x", got)
	}
}
