package txnfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
)

func iso(y, m, d int) int32 { return daysFromCivil(y, m, d) }

func TestReadTable(t *testing.T) {
	in := "\xef\xbb\xbfstore,customer id,when,total\r\n" +
		"s1,c1,2024-03-05,12.50\r\n" +
		"\r\n" +
		"s2,\"c,2\",2024-03-06 10:00,\"1.05\"\n" +
		"s3,c1,2024-03-07,-3\n" +
		"\"multi\nline\",\"c\"\"3\",2024-03-08,0"
	f := CSV("customer id", "when", "total")
	for _, name := range []string{"whole", "byte at a time"} {
		var r io.Reader = strings.NewReader(in)
		if name != "whole" {
			r = iotest.OneByteReader(r)
		}
		tab, st, err := ReadTable(r, f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if st.Rows != 4 || st.BadRows != 0 {
			t.Errorf("%s: stats %+v", name, st)
		}
		wantIDs := []string{"c1", "c,2", "c\"3"}
		if fmt.Sprint(tab.IDs) != fmt.Sprint(wantIDs) {
			t.Errorf("%s: IDs %q, want %q", name, tab.IDs, wantIDs)
		}
		if want := []int32{0, 1, 0, 2}; fmt.Sprint(tab.Customer) != fmt.Sprint(want) {
			t.Errorf("%s: customers %v, want %v", name, tab.Customer, want)
		}
		if want := []int32{iso(2024, 3, 5), iso(2024, 3, 6), iso(2024, 3, 7), iso(2024, 3, 8)}; fmt.Sprint(tab.Day) != fmt.Sprint(want) {
			t.Errorf("%s: days %v, want %v", name, tab.Day, want)
		}
		if want := []int64{1250, 105, -300, 0}; fmt.Sprint(tab.Amount) != fmt.Sprint(want) {
			t.Errorf("%s: amounts %v, want %v", name, tab.Amount, want)
		}
	}
}

func TestReadTableTSVAndDecimalComma(t *testing.T) {
	in := "kunde\tdatum\tbetrag\n42\t05.03.2024\t1234,5\n"
	f := TSV("kunde", "datum", "betrag")
	f.Order, f.DecimalMark = DMY, ','
	tab, _, err := ReadTable(strings.NewReader(in), f)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Len() != 1 || tab.Day[0] != iso(2024, 3, 5) || tab.Amount[0] != 123450 {
		t.Errorf("got %+v", tab)
	}
}

func TestRowErrors(t *testing.T) {
	const head = "id,day,amount\n"
	tests := []struct {
		name, rows string
		line       int
		column     string
	}{
		{"bad date", "a,2024-01-01,1\nb,2024-02-30,1\n", 3, "day"},
		{"bad amount", "a,2024-01-01,1.234\n", 2, "amount"},
		{"empty id", " ,2024-01-01,1\n", 2, "id"},
		{"too few fields", "a,2024-01-01\n", 2, ""},
		{"too many fields", "a,2024-01-01,1,x\n", 2, ""},
		{"bare quote", "a\"b,2024-01-01,1\n", 2, ""},
		{"unclosed quote", "a,2024-01-01,1\n\"b,2024-01-01,1\nc,2024-01-01,1\n", 3, ""},
		{"line after a multi-line row", "\"a\n\",2024-01-01,1\nb,x,1\n", 4, "day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, st, err := ReadTable(strings.NewReader(head+tt.rows), CSV("id", "day", "amount"))
			var re *RowError
			if !errors.As(err, &re) || !errors.Is(err, ErrSyntax) {
				t.Fatalf("err = %v, want a *RowError", err)
			}
			if re.Line != tt.line || re.Column != tt.column {
				t.Errorf("error at line %d column %q, want %d %q (%v)", re.Line, re.Column, tt.line, tt.column, err)
			}
			if st.BadRows != 0 {
				t.Errorf("refusing policy counted %d bad rows", st.BadRows)
			}
		})
	}
}

func TestSkipBadRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,day,amount\n")
	for i := range 30 {
		fmt.Fprintf(&b, "c%d,2024-01-%02d,1\n", i, i+1)
	}
	f := CSV("id", "day", "amount")
	f.BadRows = SkipBadRows
	tab, st, err := ReadTable(strings.NewReader(b.String()), f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 30 || st.BadRows != 0 || tab.Len() != 30 {
		t.Fatalf("stats %+v len %d", st, tab.Len())
	}
	b.WriteString("x,2024-01-32,1\ny,2024-01-01,zz\nz,2024-01-01,1\n")
	tab, st, err = ReadTable(strings.NewReader(b.String()), f)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 33 || st.BadRows != 2 || tab.Len() != 31 || len(st.Errors) != 2 {
		t.Fatalf("stats %+v len %d", st, tab.Len())
	}
	if re := st.Errors[1].(*RowError); re.Line != 33 || re.Column != "amount" {
		t.Errorf("second error %v", re)
	}
}

func TestKeptErrorsCapped(t *testing.T) {
	in := "id,day,amount\n" + strings.Repeat("a,nope,1\n", 3*MaxKeptErrors)
	f := CSV("id", "day", "amount")
	f.BadRows = SkipBadRows
	_, st, err := ReadTable(strings.NewReader(in), f)
	if err != nil || st.BadRows != 3*MaxKeptErrors || len(st.Errors) != MaxKeptErrors {
		t.Fatalf("err %v, %d bad rows, %d errors kept", err, st.BadRows, len(st.Errors))
	}
}

func TestHeaderAndFormatErrors(t *testing.T) {
	tests := []struct {
		name, in string
		f        Format
	}{
		{"missing column", "id,day\n", CSV("id", "day", "amount")},
		{"twice", "id,day,amount,id\n", CSV("id", "day", "amount")},
		{"empty file", "", CSV("id", "day", "amount")},
		{"zero format", "id,day,amount\n", Format{}},
		{"same column twice", "id,day,amount\n", CSV("id", "id", "amount")},
		{"comma is the decimal mark", "id;day;amount\n", Format{Comma: ',', Customer: "id", Date: "day", Amount: "amount", DecimalMark: ','}},
		{"places", "id,day,amount\n", Format{Comma: ',', Customer: "id", Date: "day", Amount: "amount", DecimalMark: '.', Places: 10}},
	}
	for _, tt := range tests {
		_, _, err := ReadTable(strings.NewReader(tt.in), tt.f)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err = %v, want ErrFormat", tt.name, err)
		}
	}
}

func TestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("id,day,amount\na,2024-01-01,1\n"), iotest.ErrReader(boom))
	_, _, err := ReadTable(r, CSV("id", "day", "amount"))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

// TestNoAllocationPerRow: reading rows of known customers allocates
// nothing, the point of byte IDs and the hand-written parsers.
func TestNoAllocationPerRow(t *testing.T) {
	rows := strings.Repeat("c1,2024-01-01,1.00\nc2,2024-01-02,2.50\n", 1000)
	rd, err := NewReader(strings.NewReader("id,day,amount\n"+rows), CSV("id", "day", "amount"))
	if err != nil {
		t.Fatal(err)
	}
	tab := NewTable(4000, 2)
	allocs := testing.AllocsPerRun(1, func() {
		for {
			rec, err := rd.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := tab.Add(rec.Customer, rec.Day, rec.Amount); err != nil {
				t.Fatal(err)
			}
		}
	})
	if tab.Len() != 2000 {
		t.Fatalf("read %d rows", tab.Len())
	}
	if allocs > 10 { // the two IDs and the buffer refills, not 2000 rows
		t.Errorf("%.0f allocations for 2000 rows", allocs)
	}
}

// TestReadTableNoAllocationPerRow: ReadTable's loop over good rows
// allocates nothing a row either (an error target declared in it once
// escaped, an allocation a row): ten times the rows of two known
// customers cost no more allocations than the columns' growth.
func TestReadTableNoAllocationPerRow(t *testing.T) {
	allocsFor := func(n int) float64 {
		in := "id,day,amount\n" + strings.Repeat("c1,2024-01-01,1.00\nc2,2024-01-02,2.50\n", n/2)
		return testing.AllocsPerRun(2, func() {
			tab, _, err := ReadTable(strings.NewReader(in), CSV("id", "day", "amount"))
			if err != nil || tab.Len() != n {
				t.Fatalf("read %v rows, %v", tab, err)
			}
		})
	}
	small, big := allocsFor(2000), allocsFor(20000)
	if big-small > 50 { // the columns' appends: tens, not 18,000
		t.Errorf("%.0f allocations for 2000 rows, %.0f for 20000", small, big)
	}
}

// writeCSV writes a table back out as a canonical CSV file.
func writeCSV(t *Table) []byte {
	var b bytes.Buffer
	b.WriteString("customer,date,amount\n")
	for i := range t.Customer {
		id := t.IDs[t.Customer[i]]
		if strings.ContainsAny(id, "\",\r\n") || strings.TrimSpace(id) != id {
			id = `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
		}
		y, m, d := Date(t.Day[i])
		a := t.Amount[i]
		sign := ""
		if a < 0 {
			sign, a = "-", -a
		}
		fmt.Fprintf(&b, "%s,%04d-%02d-%02d,%s%d.%02d\n", id, y, m, d, sign, a/100, a%100)
	}
	return b.Bytes()
}

// FuzzReadTable feeds arbitrary files to the reader under both policies.
// It must never panic; every row is either in the table or counted bad;
// every error names a line inside the file; and what it accepted, written
// back canonically and read again, comes back identical.
func FuzzReadTable(f *testing.F) {
	f.Add([]byte("customer,date,amount\nc1,2024-03-05,12.50\nc2,2024-03-06,-1\n"))
	f.Add([]byte("x,customer,amount,date\n1,\"a\"\"b\",\"3.5\",2024-01-01T10:00Z\n"))
	f.Add([]byte("customer,date,amount\r\n\"multi\r\nline\",2000-02-29,0\r\n"))
	f.Add([]byte("customer,date,amount\nc1,2024-13-05,12.50\nc\"2,2024-03-06,1\n\"open,2024-01-01,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte{'\n'}) + 1
		format := CSV("customer", "date", "amount")
		format.BadRows = SkipBadRows
		tab, st, err := ReadTable(bytes.NewReader(data), format)
		if err != nil {
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrSyntax) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if st.Rows != tab.Len()+st.BadRows {
			t.Fatalf("rows %d != %d accepted + %d bad", st.Rows, tab.Len(), st.BadRows)
		}
		for _, e := range st.Errors {
			if re := e.(*RowError); re.Line < 2 || re.Line > lines {
				t.Fatalf("error line %d outside 2..%d", re.Line, lines)
			}
		}
		again, st2, err := ReadTable(bytes.NewReader(writeCSV(tab)), CSV("customer", "date", "amount"))
		if err != nil {
			t.Fatalf("re-reading the canonical form: %v", err)
		}
		if st2.Rows != tab.Len() || fmt.Sprint(again.IDs) != fmt.Sprint(tab.IDs) ||
			fmt.Sprint(again.Customer, again.Day, again.Amount) != fmt.Sprint(tab.Customer, tab.Day, tab.Amount) {
			t.Fatalf("round trip changed the table")
		}
		format.BadRows = RefuseBadRows
		_, _, err = ReadTable(bytes.NewReader(data), format)
		if (err == nil) != (st.BadRows == 0) {
			t.Fatalf("refusing policy: err %v with %d bad rows when skipping", err, st.BadRows)
		}
		for _, policy := range []BadRowPolicy{RefuseBadRows, SkipBadRows} {
			format.BadRows = policy
			sameAsSequential(t, data, format, 3)
			sameFoldAsSequential(t, data, format, 3)
		}
	})
}

// sameAsSequential checks that ReadTableAt on workers gives exactly what
// ReadTable gives: table, stats and error.
func sameAsSequential(t *testing.T, data []byte, f Format, workers int) {
	t.Helper()
	want, wst, werr := ReadTable(bytes.NewReader(data), f)
	got, gst, gerr := ReadTableAt(bytes.NewReader(data), int64(len(data)), f, workers)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) {
		t.Fatalf("workers %d: error %v, sequential %v", workers, gerr, werr)
	}
	if fmt.Sprint(wst) != fmt.Sprint(gst) {
		t.Fatalf("workers %d: stats %v, sequential %v", workers, gst, wst)
	}
	if (want == nil) != (got == nil) {
		t.Fatalf("workers %d: table %v, sequential %v", workers, got != nil, want != nil)
	}
	if want != nil && (fmt.Sprint(want.IDs) != fmt.Sprint(got.IDs) || want.Places != got.Places ||
		fmt.Sprint(want.Customer, want.Day, want.Amount) != fmt.Sprint(got.Customer, got.Day, got.Amount)) {
		t.Fatalf("workers %d: table differs from the sequential one", workers)
	}
}

// TestReadTableAtMatchesReadTable: the parallel reader gives ReadTable's
// table, stats and errors (with their lines) for any worker count.
func TestReadTableAtMatchesReadTable(t *testing.T) {
	var b strings.Builder
	b.WriteString("\n\nid,day,amount\n")
	for i := range 5000 {
		switch i % 997 {
		case 500:
			b.WriteString("x,2024-02-30,1\n") // bad date
		case 700:
			b.WriteString("\r\n") // empty line
		default:
			fmt.Fprintf(&b, "c%d,2024-01-%02d,%d.%02d\r\n", (i*31)%700, 1+i%28, i, i%100)
		}
	}
	b.WriteString("last,2024-01-01,1") // no final line break
	data := []byte(b.String())
	for _, policy := range []BadRowPolicy{RefuseBadRows, SkipBadRows} {
		f := CSV("id", "day", "amount")
		f.BadRows = policy
		for _, workers := range []int{1, 2, 3, 7, 64, 0} {
			sameAsSequential(t, data, f, workers)
		}
	}
	quoted := append([]byte("id,day,amount\n\"a\nb\",2024-01-01,1\n"), data[2:]...)
	sameAsSequential(t, quoted, CSV("id", "day", "amount"), 4)
}

// TestReadTableAtRoom: rows of a steady length are estimated closely, so
// the first piece's columns take every row and the joined table holds at
// most an eighth more capacity than rows, for any worker count; rows that
// grow longer through the file (receipt numbers) are estimated from
// samples spread over it.
func TestReadTableAtRoom(t *testing.T) {
	var b strings.Builder
	b.WriteString("receipt,id,day,amount\n")
	for i := range 40_000 {
		fmt.Fprintf(&b, "%d,c%d,2024-01-%02d,%d.%02d\n", i*i, (i*31)%900, 1+i%28, i%500, i%100)
	}
	data := []byte(b.String())
	perRow, err := bytesPerRow(bytes.NewReader(data), 0, int64(len(data)))
	if mean := float64(len(data)) / 40_001; err != nil || perRow < 0.85*mean || perRow > 1.15*mean {
		t.Fatalf("bytesPerRow %g, %v; mean %g", perRow, err, mean)
	}
	for _, workers := range []int{1, 2, 3, 0} {
		tab, _, err := ReadTableAt(bytes.NewReader(data), int64(len(data)), CSV("id", "day", "amount"), workers)
		if err != nil || tab.Len() != 40_000 {
			t.Fatalf("workers %d: %v", workers, err)
		}
		for _, c := range []int{cap(tab.Customer), cap(tab.Day), cap(tab.Amount)} {
			if c > 40_000+40_000/maxSlack {
				t.Errorf("workers %d: capacity %d for 40,000 rows", workers, c)
			}
		}
	}
	// One worker: the columns are made once, with room for every row, not
	// grown by doubling and then copied (which allocated 2-3 times theirs).
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, _, err := ReadTableAt(bytes.NewReader(data), int64(len(data)), CSV("id", "day", "amount"), 1); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(24*40_000+2*bufSize+(256<<10)); got > limit {
		t.Errorf("one worker allocated %d bytes for 40,000 rows (limit %d)", got, limit)
	}
	if perRow, err := bytesPerRow(bytes.NewReader([]byte("no line break")), 0, 13); err != nil || perRow != 0 {
		t.Errorf("no line break: %g, %v", perRow, err)
	}
	if n := roomFor(100, 0); n != 0 {
		t.Errorf("roomFor without an estimate: %d", n)
	}
}
