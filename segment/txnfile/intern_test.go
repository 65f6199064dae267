package txnfile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestTableInterning checks Add's interning against a Go map on IDs short
// enough to sit in the slots and too long for them, through several
// growths of the table, and a hand-built table that Add must index first.
func TestTableInterning(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	t.Log("seed 3")
	want := map[string]int32{}
	var order []string
	tab := NewTable(0, 0)
	for range 60_000 {
		id := fmt.Sprintf("m%d", r.IntN(20_000))
		if r.IntN(2) == 0 {
			id += strings.Repeat("x", r.IntN(30)) // 15 bytes and more: compared with the stored ID
		}
		ix, ok := want[id]
		if !ok {
			ix = int32(len(order))
			want[id] = ix
			order = append(order, id)
		}
		if err := tab.Add([]byte(id), 1, 1); err != nil {
			t.Fatal(err)
		}
		if got := tab.Customer[tab.Len()-1]; got != ix {
			t.Fatalf("ID %q got index %d, want %d", id, got, ix)
		}
	}
	if fmt.Sprint(tab.IDs) != fmt.Sprint(order) {
		t.Fatal("IDs not in order of first appearance")
	}
	byHand := &Table{IDs: []string{"a", "b"}, Customer: []int32{0, 1}, Day: []int32{1, 1}, Amount: []int64{1, 1}}
	if err := byHand.Add([]byte("b"), 2, 2); err != nil || byHand.Customer[2] != 1 || len(byHand.IDs) != 2 {
		t.Fatalf("hand-built table: %v, customers %v, IDs %v", err, byHand.Customer, byHand.IDs)
	}
	if err := byHand.Add(nil, 2, 2); err == nil {
		t.Fatal("empty ID accepted")
	}
}

// TestAddAfterRead: a table read from a file has no lookup index; Add
// rebuilds it, so a known customer keeps its index and a new one gets the
// next, whichever reader made the table.
func TestAddAfterRead(t *testing.T) {
	data := []byte("id,day,amount\na,2024-01-01,1\nb,2024-01-02,2\na,2024-01-03,3\n")
	read := []func() (*Table, Stats, error){
		func() (*Table, Stats, error) { return ReadTable(bytes.NewReader(data), CSV("id", "day", "amount")) },
		func() (*Table, Stats, error) {
			return ReadTableAt(bytes.NewReader(data), int64(len(data)), CSV("id", "day", "amount"), 2)
		},
	}
	for k, r := range read {
		tab, _, err := r()
		if err != nil || tab.index != nil {
			t.Fatalf("reader %d: %v, index kept %v", k, err, tab.index != nil)
		}
		if err := tab.Add([]byte("b"), 1, 1); err != nil || tab.Customer[3] != 1 {
			t.Errorf("reader %d: known customer: %v %v", k, err, tab.Customer)
		}
		if err := tab.Add([]byte("c"), 1, 1); err != nil || tab.Customer[4] != 2 || len(tab.IDs) != 3 {
			t.Errorf("reader %d: new customer: %v %v %v", k, err, tab.Customer, tab.IDs)
		}
	}
}

// FuzzInlineKey: two different keys held inline never look alike (a
// slot's key word, with its kind, is the whole key), and equal keys look
// alike.
func FuzzInlineKey(f *testing.F) {
	f.Add("C0000001", "C0000002")
	f.Add("000123456789", "00123456789")
	f.Add("123456789012345678", "1234567890123456789")
	f.Add("abc", "abc\x00")
	f.Fuzz(func(t *testing.T, a, b string) {
		ka, wa := inlineKey(a)
		kb, wb := inlineKey([]byte(b))
		if a == b && (ka != kb || wa != wb) {
			t.Fatalf("%q: string and bytes differ", a)
		}
		if a != b && ka != longKey && ka == kb && wa == wb {
			t.Fatalf("%q and %q both inline as %d/%x", a, b, ka, wa)
		}
		if ka == 0 || ka > kindBits || (ka == longKey) != (len(a) == 0 || len(a) > 8 && !digitsOnly(a, 18)) {
			t.Fatalf("%q: kind %d", a, ka)
		}
	})
}

func digitsOnly(s string, max int) bool {
	if len(s) > max {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// TestNumericIDs: card and phone numbers of 9 to 18 digits are held
// inline as numbers; leading zeros and lengths keep them apart, and 19
// digits go to the long path; every one keeps its own index.
func TestNumericIDs(t *testing.T) {
	tab := NewTable(0, 0)
	var ids []string
	for n := 9; n <= 19; n++ {
		for _, v := range []string{"1", "01", "001", "9"} {
			id := strings.Repeat("0", n-len(v)) + v
			ids = append(ids, id, strings.Repeat("9", n), "1"+strings.Repeat("0", n-1))
		}
	}
	want := map[string]int32{}
	for round := range 2 {
		for _, id := range ids {
			if err := tab.Add([]byte(id), 1, 1); err != nil {
				t.Fatal(err)
			}
			ix, ok := want[id]
			if !ok {
				ix = int32(len(want))
				want[id] = ix
			}
			if got := tab.Customer[tab.Len()-1]; got != ix || tab.IDs[got] != id {
				t.Fatalf("round %d: %q got index %d, want %d", round, id, got, ix)
			}
		}
	}
}
