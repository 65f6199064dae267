package loyalty

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/jsonappend"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// Every earn hashes its purchase (idempotency) and records its result as
// JSON; through encoding/json's reflection and its re-compacting of
// Marshaler output those two were half an earn's CPU time. The encoders
// here append the very bytes encoding/json produces for the same values
// (tests compare them byte for byte, and check the field counts of the
// encoded types so that a new field cannot be silently dropped), so
// stored hashes and records are unchanged.

// encodeResult encodes a mutation's result for its operation record: an
// earn's as a binary earn record (earn_record.go), any other as JSON.
func encodeResult(result any) ([]byte, error) {
	switch r := result.(type) {
	case *EarnResult:
		return encodeEarn(r)
	case EarnResult:
		return encodeEarn(&r)
	}
	return json.Marshal(result)
}

// encodeEarn returns the binary record of an earn's result.
func encodeEarn(r *EarnResult) ([]byte, error) {
	// Encoded in a recycled buffer and copied out at its exact size: the
	// store keeps the record, capacity and all, for good.
	buf := recordBuffers.Get().(*[]byte)
	defer recordBuffers.Put(buf)
	b, err := r.appendRecord((*buf)[:0])
	if err != nil {
		return nil, err
	}
	if cap(b) <= 1<<16 { // do not keep huge baskets' buffers
		*buf = b
	}
	return append(make([]byte, 0, len(b)), b...), nil
}

// recordBuffers recycles the buffers earn records are encoded in.
var recordBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// requestHash is idem.Hash, with a fast path for purchases giving the
// same hash.
func requestHash(body any) (string, error) {
	p, ok := body.(customer.Purchase)
	if !ok {
		return idem.Hash(body)
	}
	return purchaseHash(&p)
}

// purchaseHash is idem.Hash of a purchase, without reflection.
func purchaseHash(p *customer.Purchase) (string, error) {
	buf := hashBuffers.Get().(*[]byte)
	defer hashBuffers.Put(buf)
	b, err := appendPurchase((*buf)[:0], p)
	if err != nil {
		return "", idem.ErrUnhashable
	}
	if cap(b) <= 1<<16 { // do not keep huge baskets' buffers
		*buf = b
	}
	sum := sha256.Sum256(b)
	var text [2 * sha256.Size]byte
	hex.Encode(text[:], sum[:])
	return string(text[:]), nil
}

// hashBuffers recycles the buffers purchases are encoded into for hashing;
// the bytes never leave requestHash.
var hashBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// appendPurchase appends p as encoding/json encodes a customer.Purchase.
func appendPurchase(b []byte, p *customer.Purchase) ([]byte, error) {
	var err error
	b = jsonappend.String(append(b, `{"id":`...), p.ID)
	if p.CustomerID != "" {
		b = jsonappend.String(append(b, `,"customerId":`...), p.CustomerID)
	}
	b = jsonappend.String(append(b, `,"store":`...), p.Store)
	b = jsonappend.String(append(b, `,"channel":`...), string(p.Channel))
	if p.Staff != "" {
		b = jsonappend.String(append(b, `,"staff":`...), p.Staff)
	}
	if b, err = jsonappend.Time(append(b, `,"time":`...), p.Time); err != nil {
		return nil, err
	}
	b = jsonappend.String(append(b, `,"currency":`...), p.Currency)
	b = append(b, `,"lines":`...)
	if p.Lines == nil {
		b = append(b, "null"...)
	} else {
		for i := range p.Lines {
			b = appendPurchaseLine(append(b, jsonappend.ListSep(i)), &p.Lines[i])
		}
		b = closeList(b, len(p.Lines))
	}
	b = jsonappend.Decimal(append(b, `,"orderDiscount":`...), p.OrderDiscount)
	b = jsonappend.Decimal(append(b, `,"tax":`...), p.Tax)
	return append(b, '}'), nil
}

func appendPurchaseLine(b []byte, l *customer.Line) []byte {
	b = jsonappend.String(append(b, `{"sku":`...), l.SKU)
	if l.Name != "" {
		b = jsonappend.String(append(b, `,"name":`...), l.Name)
	}
	if l.Category != "" {
		b = jsonappend.String(append(b, `,"category":`...), l.Category)
	}
	if l.Brand != "" {
		b = jsonappend.String(append(b, `,"brand":`...), l.Brand)
	}
	if len(l.Tags) > 0 {
		b = append(b, `,"tags":`...)
		for i, t := range l.Tags {
			b = jsonappend.String(append(b, jsonappend.ListSep(i)), t)
		}
		b = append(b, ']')
	}
	b = jsonappend.Decimal(append(b, `,"quantity":`...), l.Quantity)
	b = jsonappend.Decimal(append(b, `,"unitPrice":`...), l.UnitPrice)
	b = jsonappend.Decimal(append(b, `,"discount":`...), l.Discount)
	b = jsonappend.Decimal(append(b, `,"total":`...), l.Total)
	return append(b, '}')
}

// closeList ends a JSON array of n elements opened by listSep ("[]" when
// empty).
func closeList(b []byte, n int) []byte {
	if n == 0 {
		b = append(b, '[')
	}
	return append(b, ']')
}

// appendJSON appends r as encoding/json encodes it. Earn records are
// binary now; records written as JSON before decode as they did, and the
// tests check that a binary record decodes to what its JSON gave.
func (r EarnResult) appendJSON(b []byte) ([]byte, error) {
	if b == nil { // about what each part takes, so the buffer grows once at most
		b = make([]byte, 0, 512+192*len(r.Quote.Lines)+256*len(r.Quote.Rules)+320*len(r.Entries)+192*len(r.Events))
	}
	var err error
	b = jsonappend.String(append(b, `{"memberId":`...), r.MemberID)
	if b, err = r.Quote.appendJSON(append(b, `,"quote":`...)); err != nil {
		return nil, err
	}
	if b, err = appendEntries(append(b, `,"entries":`...), r.Entries); err != nil {
		return nil, err
	}
	if b, err = r.Tier.appendJSON(append(b, `,"tier":`...)); err != nil {
		return nil, err
	}
	if b, err = appendEvents(append(b, `,"events":`...), r.Events); err != nil {
		return nil, err
	}
	return append(b, '}'), nil
}

// appendEntries appends ledger entries as encoding/json encodes them (by
// their Go field names: they carry no tags).
func appendEntries(b []byte, es []ledger.Entry) ([]byte, error) {
	if es == nil {
		return append(b, "null"...), nil
	}
	var err error
	for i := range es {
		e := &es[i]
		b = strconv.AppendInt(append(append(b, jsonappend.ListSep(i)), `{"Seq":`...), e.Seq, 10)
		b = jsonappend.String(append(b, `,"ID":`...), e.ID)
		b = jsonappend.String(append(b, `,"Account":`...), e.Account)
		b = jsonappend.String(append(b, `,"Kind":`...), string(e.Kind))
		b = strconv.AppendInt(append(b, `,"Points":`...), e.Points, 10)
		b = strconv.AppendInt(append(b, `,"Pending":`...), e.Pending, 10)
		b = strconv.AppendInt(append(b, `,"Held":`...), e.Held, 10)
		b = strconv.AppendInt(append(b, `,"Debt":`...), e.Debt, 10)
		if b, err = jsonappend.Time(append(b, `,"Time":`...), e.Time); err != nil {
			return nil, err
		}
		b = jsonappend.String(append(b, `,"Reference":`...), e.Reference)
		b = jsonappend.String(append(b, `,"Purchase":`...), e.Purchase)
		b = jsonappend.String(append(b, `,"Corrects":`...), e.Corrects)
		b = append(b, `,"Draws":`...)
		if e.Draws == nil {
			b = append(b, "null"...)
		} else {
			for j, d := range e.Draws {
				b = jsonappend.String(append(append(b, jsonappend.ListSep(j)), `{"LotID":`...), d.LotID)
				b = strconv.AppendInt(append(b, `,"Points":`...), d.Points, 10)
				b = strconv.AppendInt(append(b, `,"Pending":`...), d.Pending, 10)
				b = strconv.AppendInt(append(b, `,"Held":`...), d.Held, 10)
				b = append(b, '}')
			}
			b = closeList(b, len(e.Draws))
		}
		b = jsonappend.String(append(b, `,"Reason":`...), e.Reason)
		b = jsonappend.String(append(b, `,"Actor":`...), e.Actor)
		b = append(b, '}')
	}
	return closeList(b, len(es)), nil
}

func (t *TierState) appendJSON(b []byte) ([]byte, error) {
	var err error
	b = jsonappend.String(append(b, `{"tier":`...), t.Tier)
	if b, err = jsonappend.Time(append(b, `,"since":`...), t.Since); err != nil {
		return nil, err
	}
	if b, err = jsonappend.Time(append(b, `,"memberSince":`...), t.MemberSince); err != nil {
		return nil, err
	}
	for _, f := range [...]struct {
		key string
		t   *time.Time
	}{{"guaranteedUntil", &t.GuaranteedUntil}, {"graceUntil", &t.GraceUntil}, {"graceSince", &t.GraceSince}, {"nextReview", &t.NextReview}} {
		if !f.t.IsZero() {
			if b, err = jsonappend.Time(jsonappend.Key(b, ',', f.key), *f.t); err != nil {
				return nil, err
			}
		}
	}
	if t.Override != nil {
		if b, err = appendMarshal(append(b, `,"override":`...), t.Override); err != nil {
			return nil, err
		}
	}
	if !t.Seen.IsZero() {
		if b, err = jsonappend.Time(append(b, `,"seen":`...), t.Seen); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// appendEvents appends events as encoding/json encodes them.
func appendEvents(b []byte, evs []Event) ([]byte, error) {
	if evs == nil {
		return append(b, "null"...), nil
	}
	var err error
	for i := range evs {
		ev := &evs[i]
		b = jsonappend.String(append(append(b, jsonappend.ListSep(i)), `{"type":`...), string(ev.Type))
		b = jsonappend.String(append(b, `,"memberId":`...), ev.MemberID)
		if b, err = jsonappend.Time(append(b, `,"at":`...), ev.At); err != nil {
			return nil, err
		}
		if ev.Points != 0 {
			b = strconv.AppendInt(append(b, `,"points":`...), ev.Points, 10)
		}
		if ev.Reference != "" {
			b = jsonappend.String(append(b, `,"reference":`...), ev.Reference)
		}
		if !ev.ExpiresAt.IsZero() {
			if b, err = jsonappend.Time(append(b, `,"expiresAt":`...), ev.ExpiresAt); err != nil {
				return nil, err
			}
		}
		if ev.Tier != nil {
			if b, err = appendMarshal(append(b, `,"tier":`...), ev.Tier); err != nil {
				return nil, err
			}
		}
		if ev.Coupon != nil {
			if b, err = appendMarshal(append(b, `,"coupon":`...), ev.Coupon); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	}
	return closeList(b, len(evs)), nil
}

// appendMarshal appends v through encoding/json, for the rare parts of a
// result (tier changes, coupons, overrides) not worth an encoder.
func appendMarshal(b []byte, v any) ([]byte, error) {
	enc, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(b, enc...), nil
}
