package txnfile

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// rowsFolder keeps the rows it is given, with the piece's customer
// numbers.
type rowsFolder struct {
	customer, day []int32
	amount        []int64
}

func (r *rowsFolder) Fold(customer, day []int32, amount []int64) {
	r.customer = append(r.customer, customer...)
	r.day = append(r.day, day...)
	r.amount = append(r.amount, amount...)
}

// foldToTable reads data with FoldAt and rebuilds the table from the
// pieces' rows in piece order, their customers through Remap.
func foldToTable(t *testing.T, data []byte, f Format, workers int) (*Table, Stats, error) {
	t.Helper()
	var folders []*rowsFolder
	calls := 0
	fd, st, err := FoldAt(bytes.NewReader(data), int64(len(data)), f, workers, func(n int) []Folder {
		calls++
		folders = make([]*rowsFolder, n)
		out := make([]Folder, n)
		for p := range out {
			folders[p] = &rowsFolder{}
			out[p] = folders[p]
		}
		return out
	})
	if calls == 0 || calls > 2 {
		t.Fatalf("workers %d: newFolders called %d times", workers, calls)
	}
	if err != nil {
		return nil, st, err
	}
	if len(fd.Remap) != len(folders) {
		t.Fatalf("workers %d: %d remaps for %d pieces", workers, len(fd.Remap), len(folders))
	}
	tab := &Table{IDs: fd.IDs, Places: f.Places}
	for p, r := range folders {
		for i, c := range r.customer {
			if int(c) >= len(fd.Remap[p]) {
				t.Fatalf("workers %d: piece %d customer %d of %d", workers, p, c, len(fd.Remap[p]))
			}
			tab.Customer = append(tab.Customer, fd.Remap[p][c])
			tab.Day = append(tab.Day, r.day[i])
			tab.Amount = append(tab.Amount, r.amount[i])
		}
	}
	for c, g := range fd.Remap[0] {
		if int(g) != c {
			t.Fatalf("workers %d: piece 0's customer %d goes to %d", workers, c, g)
		}
	}
	return tab, st, nil
}

// sameFoldAsSequential fails unless FoldAt's rows, put back in order, are
// ReadTable's table, with its stats and error.
func sameFoldAsSequential(t *testing.T, data []byte, f Format, workers int) {
	t.Helper()
	want, wst, werr := ReadTable(bytes.NewReader(data), f)
	got, gst, gerr := foldToTable(t, data, f, workers)
	if fmt.Sprint(werr) != fmt.Sprint(gerr) || fmt.Sprint(wst) != fmt.Sprint(gst) {
		t.Fatalf("workers %d: %v %v, ReadTable %v %v", workers, gst, gerr, wst, werr)
	}
	if want != nil && (fmt.Sprint(want.IDs) != fmt.Sprint(got.IDs) ||
		fmt.Sprint(want.Customer, want.Day, want.Amount) != fmt.Sprint(got.Customer, got.Day, got.Amount)) {
		t.Fatalf("workers %d, policy %v: folded rows differ from ReadTable's", workers, f.BadRows)
	}
}

// TestFoldAtMatchesReadTable: the rows FoldAt hands out, put back in piece
// order through Remap, are ReadTable's table, with its stats and errors,
// for any worker count, bad rows under both policies and a quoted file
// (read again on one goroutine).
func TestFoldAtMatchesReadTable(t *testing.T) {
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
	b.WriteString("last,2024-01-01,1")
	data := []byte(b.String())
	quoted := append([]byte("id,day,amount\n\"a\nb\",2024-01-01,1\n"), data[2:]...)
	for _, in := range [][]byte{data, quoted} {
		for _, policy := range []BadRowPolicy{RefuseBadRows, SkipBadRows} {
			f := CSV("id", "day", "amount")
			f.BadRows = policy
			for _, workers := range []int{1, 2, 3, 7, 64, 0} {
				sameFoldAsSequential(t, in, f, workers)
			}
		}
	}
}
