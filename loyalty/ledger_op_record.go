package loyalty

import (
	"encoding/json"

	"github.com/clientele-go/clientele/loyalty/ledger"
)

// A ledger operation (a redemption and the lots it drew, a hold, a
// claw-back, an adjustment) is kept as a record, which every redemption,
// hold and return writes and a return of a paid purchase reads back. As
// JSON its times alone were a third of a redemption's allocations; it is
// written in the earn record's binary form instead (earn_record.go's
// writer and reader: varints, length-prefixed strings, times as instant
// and offset). Decoding gives what decoding the JSON gave
// (TestLedgerOpRecordDecodesAsJSONDid); records written as JSON before,
// and by hosts' fixtures, stay readable: no JSON text starts with the
// magic's zero byte.

// ledgerOpMagic opens a binary ledger operation record.
const ledgerOpMagic = "\x00lop1"

// encodeLedgerOp returns the binary record of op. It fails, as JSON does,
// on a time RFC 3339 cannot write.
func encodeLedgerOp(op *ledger.Operation) ([]byte, error) {
	w := recWriter{b: make([]byte, 0, 96+len(op.Portions)*24)}
	w.b = append(w.b, ledgerOpMagic...)
	w.str(string(op.Kind))
	w.str(op.ID)
	w.int(op.Points)
	w.str(op.Target)
	w.str(string(op.Policy))
	w.str(string(op.State))
	w.count(len(op.Portions), op.Portions == nil)
	for _, p := range op.Portions {
		w.str(p.LotID)
		w.int(p.Points)
		w.int(p.Refunded)
	}
	w.int(op.Refunded)
	w.str(op.Entry)
	w.str(op.EndEntry)
	w.time(op.Time)
	w.time(op.ExpiresAt)
	w.str(op.Reason)
	w.str(op.Actor)
	return w.b, w.err
}

// DecodeLedgerOperation reads the data of a RecordOperation record, in the
// binary form the service writes or as JSON (records written before it, or
// by a host's fixtures): for exports, audits and adapters' tests, which
// otherwise treat records as opaque bytes.
func DecodeLedgerOperation(data []byte) (ledger.Operation, error) { return decodeLedgerOp(data) }

// decodeLedgerOp reads a ledger operation record in either form.
func decodeLedgerOp(data []byte) (ledger.Operation, error) {
	if len(data) == 0 || data[0] != 0 {
		var op ledger.Operation
		err := json.Unmarshal(data, &op)
		return op, err
	}
	if len(data) < len(ledgerOpMagic) || string(data[:len(ledgerOpMagic)]) != ledgerOpMagic {
		return ledger.Operation{}, errRecord
	}
	d := recReader{b: data[len(ledgerOpMagic):]}
	var op ledger.Operation
	op.Kind = ledger.EntryKind(d.str())
	op.ID = d.str()
	op.Points = d.int()
	op.Target = d.str()
	op.Policy = ledger.ClawbackPolicy(d.str())
	op.State = ledger.HoldState(d.str())
	if n, isNil := d.count(); !isNil {
		op.Portions = make([]ledger.Portion, n)
		for i := range op.Portions {
			op.Portions[i] = ledger.Portion{LotID: d.str(), Points: d.int(), Refunded: d.int()}
		}
	}
	op.Refunded = d.int()
	op.Entry = d.str()
	op.EndEntry = d.str()
	op.Time = d.time()
	op.ExpiresAt = d.time()
	op.Reason = d.str()
	op.Actor = d.str()
	if d.err == nil && len(d.b) > 0 {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return ledger.Operation{}, d.err
	}
	return op, nil
}
