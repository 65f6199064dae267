package loyalty

import (
	"fmt"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// The account header is read and written by every operation. As JSON its
// two documents cost a database-backed earn about a tenth of its client
// CPU (reflection over some thirty fields and as many times parsed from
// text). BinaryDocs writes them in the earn record's binary form instead:
// integers as varints, strings length-prefixed, times as their instant
// and zone offset, read back as their JSON text would be. Decoding gives
// the account that decoding the JSON documents gives
// (TestBinaryDocsDecodeAsJSONDid, FuzzBinaryDocs); each document opens
// with a zero byte, which no JSON text does, so a store holding both forms
// reads either (AccountFromDocs). A field added to the header, its state,
// the tier state or the ledger header must be added here too:
// TestBinaryDocsKnowEveryField fails until it is.

// Each binary document opens with a zero byte, then its name and version.
const (
	headerMagic = "\x00hdr1"
	stateMagic  = "\x00st1"
)

// isBinaryDoc reports whether doc is a binary document rather than JSON.
func isBinaryDoc(doc []byte) bool { return len(doc) > 0 && doc[0] == 0 }

// BinaryDocs returns the account header's documents in binary form, for a
// store that keeps them as bytes (a bytea or BLOB column) and reads them
// back with AccountFromDocs.
func (a Account) BinaryDocs() (AccountDocs, error) {
	h := a.Points.Header()
	w := recWriter{b: make([]byte, 0, 96+len(h.ID))}
	w.b = append(w.b, headerMagic...)
	w.str(h.ID)
	w.int(h.Version)
	w.int(h.Seq)
	w.int(h.Debt)
	w.time(h.LastActivity)
	for _, v := range totalsOf(&h.Totals) {
		w.int(*v)
	}
	w.int(h.Remaining)
	w.int(h.Pending)
	w.int(h.Held)
	if w.err != nil {
		return AccountDocs{}, fmt.Errorf("loyalty: encoding the header: %w", w.err)
	}
	header := w.b

	activity, err := encodeActivity(a.Activity)
	if err != nil {
		return AccountDocs{}, err
	}
	w = recWriter{b: make([]byte, 0, 64+len(activity)+48*len(a.TierMarks))}
	w.b = append(w.b, stateMagic...)
	w.tier(&a.Tier)
	w.uint(uint64(len(a.TierMarks))) // none is nil, as JSON's omitempty makes it
	for i := range a.TierMarks {
		w.time(a.TierMarks[i].At)
		w.tier(&a.TierMarks[i].State)
	}
	w.uint(uint64(len(activity)))
	w.b = append(w.b, activity...)
	w.int(a.Purchases)
	w.str(a.MergedInto)
	w.str(a.MergingInto)
	w.time(a.MergingAt)
	if w.err != nil {
		return AccountDocs{}, fmt.Errorf("loyalty: encoding the account state: %w", w.err)
	}
	return AccountDocs{Header: header, State: w.b}, nil
}

// totalsOf returns the fields of t in the binary header's order.
func totalsOf(t *ledger.Totals) [12]*int64 {
	return [...]*int64{&t.Earned, &t.Released, &t.Redeemed, &t.Refunded, &t.Expired, &t.ClawedBack,
		&t.DebtIncurred, &t.DebtPaid, &t.AdjustedUp, &t.AdjustedDown, &t.MergedIn, &t.MergedOut}
}

// decodeHeader reads what BinaryDocs wrote as the header.
func decodeHeader(doc []byte) (ledger.Header, error) {
	var h ledger.Header
	if len(doc) < len(headerMagic) || string(doc[:len(headerMagic)]) != headerMagic {
		return h, fmt.Errorf("%w: not a binary header", errRecord)
	}
	d := recReader{b: doc[len(headerMagic):]}
	h.ID = d.str()
	h.Version, h.Seq, h.Debt = d.int(), d.int(), d.int()
	h.LastActivity = d.time()
	for _, v := range totalsOf(&h.Totals) {
		*v = d.int()
	}
	h.Remaining, h.Pending, h.Held = d.int(), d.int(), d.int()
	return h, d.end()
}

// decodeBinary reads what BinaryDocs wrote as the state.
func (st *accountState) decodeBinary(doc []byte) error {
	if len(doc) < len(stateMagic) || string(doc[:len(stateMagic)]) != stateMagic {
		return fmt.Errorf("%w: not a binary state", errRecord)
	}
	d := recReader{b: doc[len(stateMagic):], text: string(doc[len(stateMagic):])}
	d.tier(&st.Tier)
	if n := d.length(d.uint()); n > 0 {
		st.TierMarks = make([]TierMark, n)
		for i := range st.TierMarks {
			st.TierMarks[i].At = d.time()
			d.tier(&st.TierMarks[i].State)
		}
	}
	st.ActivityBin = d.bytes(d.uint())
	st.Purchases = d.int()
	st.MergedInto, st.MergingInto = d.str(), d.str()
	st.MergingAt = d.time()
	return d.end()
}

// end returns the reader's error, or one for bytes left unread.
func (d *recReader) end() error {
	if d.err == nil && len(d.b) > 0 {
		d.fail("trailing bytes")
	}
	return d.err
}
