package loyalty

import (
	"encoding/json"
	"strconv"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A store keeps every ledger entry a member's writes make, for the whole
// of the member's history (a daily shopper's entries run to thousands), and
// statements, exports and audits read them. As JSON an earn's entry
// was some 325 bytes, half of them field names and the member's ID twice.
// EncodeEntry writes it in the earn record's binary form (earn_record.go's
// writer and reader) and leaves out what the store's key already says:
// the account, the sequence number and the ID the ledger makes of the two
// (account#seq). DecodeEntry reads that form and JSON, so entries a store
// kept as JSON before stay readable: no JSON text starts with the magic's
// zero byte.

// entryMagic opens a binary entry document; entryKeyed marks one whose
// account, sequence number and ID are its key's, entryNamed one that
// carries them.
const (
	entryMagic = "\x00ent1"
	entryKeyed = 1
	entryNamed = 2
)

// EncodeEntry returns the document of entry e for a store to keep under
// account and seq: DecodeEntry, given the same two, reads e back. When
// they are e's own (e.Account, e.Seq, and the ID the ledger makes of them,
// as for every entry of a member's own ledger) the document leaves them
// out; otherwise it names them, so an entry kept under another member
// still reads as its own. It fails, as JSON does, on a time RFC 3339
// cannot write.
func EncodeEntry(e ledger.Entry, account string, seq int64) ([]byte, error) {
	w := recWriter{b: make([]byte, 0, 48+len(e.Reference)+len(e.Purchase)+len(e.Corrects)+len(e.Reason)+len(e.Actor)+32*len(e.Draws))}
	w.b = append(w.b, entryMagic...)
	if e.Account == account && e.Seq == seq && e.ID == entryID(account, seq) {
		w.b = append(w.b, entryKeyed)
		e.Seq, e.ID, e.Account = 0, "", ""
	} else {
		w.b = append(w.b, entryNamed)
	}
	w.entry(&e)
	return w.b, w.err
}

// DecodeEntry reads the document of an entry kept under account and seq:
// EncodeEntry's binary form, or the entry's JSON (which names its own
// account and sequence number). A document EncodeEntry wrote for one key
// and copied under another reads as the entry of the key it is under,
// unless it names its own.
func DecodeEntry(doc []byte, account string, seq int64) (ledger.Entry, error) {
	var e ledger.Entry
	if len(doc) == 0 || doc[0] != 0 {
		err := json.Unmarshal(doc, &e)
		return e, err
	}
	n := len(entryMagic)
	if len(doc) <= n || string(doc[:n]) != entryMagic || (doc[n] != entryKeyed && doc[n] != entryNamed) {
		return ledger.Entry{}, errRecord
	}
	d := recReader{b: doc[n+1:]}
	d.entry(&e)
	if err := d.end(); err != nil {
		return ledger.Entry{}, err
	}
	if doc[n] == entryKeyed {
		if e.Seq != 0 || e.ID != "" || e.Account != "" {
			return ledger.Entry{}, errRecord // a keyed document names no key
		}
		e.Seq, e.Account, e.ID = seq, account, entryID(account, seq)
	}
	return e, nil
}

// entryID is the ID the ledger gives an account's entry: the account and
// the sequence number.
func entryID(account string, seq int64) string {
	return account + "#" + strconv.FormatInt(seq, 10)
}
