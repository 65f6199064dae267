package txnfile

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkReadTable reads a CSV export of 1M rows of 100k customers held
// in memory (so the disk is not timed); compare encoding/csv with
// time.Parse and decimal.NewFromString per row, the code it replaces.
func BenchmarkReadTable(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("receipt,customer,date,amount,store\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&buf, "%d,C%07d,2024-%02d-%02d %02d:%02d,%d.%02d,S%02d\n",
			i, (i*7919)%100_000, 1+i%12, 1+i%28, 8+i%12, i%60, 1+i%500, i%100, i%40)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		tab, _, err := ReadTable(bytes.NewReader(data), CSV("customer", "date", "amount"))
		if err != nil || tab.Len() != 1_000_000 {
			b.Fatal(err)
		}
	}
}
