package loyalty_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A store keeps an entry's document under the entry's account and
// sequence number, and reads it back under the same two.
func ExampleEncodeEntry() {
	e := ledger.Entry{Seq: 42, ID: "M-1001#42", Account: "M-1001", Kind: ledger.KindEarn, Points: 120, Pending: 120,
		Time: time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC), Reference: "M-1001#42", Purchase: "SH-02-000981",
		Draws: []ledger.Draw{{LotID: "M-1001#42", Points: 120, Pending: 120}}}
	doc, err := loyalty.EncodeEntry(e, "M-1001", 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	js, _ := json.Marshal(e)
	back, err := loyalty.DecodeEntry(doc, "M-1001", 42)
	fmt.Println(err, back.Equal(e))
	fmt.Printf("%d bytes, %d as JSON\n", len(doc), len(js))
	// Output:
	// <nil> true
	// 70 bytes, 290 as JSON
}
