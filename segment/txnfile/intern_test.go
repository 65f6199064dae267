package txnfile

import (
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
