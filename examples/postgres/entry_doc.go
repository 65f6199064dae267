package postgres

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// encodeEntry returns json.Marshal(e), byte for byte.
//
// Every write stores its ledger entries as JSON documents, an earn one of
// them; json.Marshal's reflection over an entry cost a few per cent of
// the client's CPU per earn. entryWriter writes the same bytes directly
// for an entry whose strings need no escaping (what IDs, kinds and
// references are) and leaves any other to json.Marshal, so the stored
// documents do not change (TestEncodeEntryIsJSON, FuzzEncodeEntry).
func encodeEntry(e ledger.Entry) ([]byte, error) {
	w := entryWriter{b: make([]byte, 0, 384)}
	if w.entry(&e) {
		return w.b, nil
	}
	return json.Marshal(e)
}

// entryWriter appends an entry's JSON to b; ok turns false at the first
// value it cannot write as json.Marshal would.
type entryWriter struct {
	b  []byte
	ok bool
}

// plain reports whether json.Marshal writes s as it is between quotes:
// printable ASCII other than the quote, the backslash and the characters
// it escapes for HTML.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

func (w *entryWriter) str(key, s string) {
	if !plain(s) {
		w.ok = false
	}
	w.b = append(w.b, key...)
	w.b = append(w.b, '"')
	w.b = append(w.b, s...)
	w.b = append(w.b, '"')
}

func (w *entryWriter) num(key string, n int64) {
	w.b = append(w.b, key...)
	w.b = strconv.AppendInt(w.b, n, 10)
}

func (w *entryWriter) entry(e *ledger.Entry) bool {
	w.ok = true
	w.num(`{"Seq":`, e.Seq)
	w.str(`,"ID":`, e.ID)
	w.str(`,"Account":`, e.Account)
	w.str(`,"Kind":`, string(e.Kind))
	w.num(`,"Points":`, e.Points)
	w.num(`,"Pending":`, e.Pending)
	w.num(`,"Held":`, e.Held)
	w.num(`,"Debt":`, e.Debt)
	t, err := e.Time.MarshalJSON()
	if err != nil {
		return false
	}
	w.b = append(append(w.b, `,"Time":`...), t...)
	w.str(`,"Reference":`, e.Reference)
	w.str(`,"Purchase":`, e.Purchase)
	w.str(`,"Corrects":`, e.Corrects)
	if e.Draws == nil {
		w.b = append(w.b, `,"Draws":null`...)
	} else {
		w.b = append(w.b, `,"Draws":[`...)
		for i, d := range e.Draws {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			w.str(`{"LotID":`, d.LotID)
			w.num(`,"Points":`, d.Points)
			w.num(`,"Pending":`, d.Pending)
			w.num(`,"Held":`, d.Held)
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ']')
	}
	w.str(`,"Reason":`, e.Reason)
	w.str(`,"Actor":`, e.Actor)
	w.b = append(w.b, '}')
	return w.ok
}
