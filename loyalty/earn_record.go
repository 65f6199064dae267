package loyalty

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/loyalty/ledger"
	"github.com/shopspring/decimal"
)

// Every earn records its result, so that a replay returns it and a return
// claws back exactly what its quote says. As JSON that record was a
// quarter of an earn's CPU time and some 2.5 KB; the earn record is
// written in this compact binary form instead: integers as varints,
// strings length-prefixed, amounts as exact integers, times as their
// instant and zone offset, which is all their JSON text holds (a replay
// decodes the same times, zones included). Decoding gives the value decoding the JSON gave
// (TestEarnRecordDecodesAsJSONDid); records written as JSON before stay
// readable (decodeResult tells them apart by the first byte, which no JSON
// text starts with).

// earnRecordMagic opens a binary earn record: a zero byte, which no JSON
// text starts with, then the format's name and version.
const earnRecordMagic = "\x00earn2"

// maxRecordCount bounds any list in a record; a real one holds a few
// dozen elements (a 1,000-line basket would be a large one).
const maxRecordCount = 1 << 20

// decodeResult decodes an operation's recorded result into out: a binary
// earn record into an *EarnResult, anything else as JSON.
func decodeResult(raw []byte, out any) error {
	if len(raw) > 0 && raw[0] == 0 {
		r, ok := out.(*EarnResult)
		if !ok {
			return fmt.Errorf("loyalty: an earn record cannot be read into %T", out)
		}
		return r.decodeRecord(raw)
	}
	return json.Unmarshal(raw, out)
}

// appendRecord appends the binary earn record of r. It fails, as the JSON
// encoding does, on a time RFC 3339 cannot write.
func (r *EarnResult) appendRecord(b []byte) ([]byte, error) {
	w := recWriter{b: append(b, earnRecordMagic...)}
	w.str(r.MemberID)
	w.quote(&r.Quote)
	w.count(len(r.Entries), r.Entries == nil)
	for i := range r.Entries {
		w.entry(&r.Entries[i])
	}
	w.tier(&r.Tier)
	w.count(len(r.Events), r.Events == nil)
	for i := range r.Events {
		w.event(&r.Events[i])
	}
	return w.b, w.err
}

// recWriter appends record fields, keeping the first error. With
// instants set it writes times as their instant alone (seconds and
// nanoseconds since 1970, read back in UTC), which any time has.
type recWriter struct {
	b        []byte
	err      error
	instants bool
}

func (w *recWriter) int(v int64)   { w.b = binary.AppendVarint(w.b, v) }
func (w *recWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

func (w *recWriter) str(s string) {
	w.uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *recWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// count writes a list's length, 0 for a nil list (JSON null) and n+1
// otherwise, so that nil and empty lists come back as they went.
func (w *recWriter) count(n int, isNil bool) {
	if isNil {
		w.uint(0)
		return
	}
	w.uint(uint64(n) + 1)
}

// time writes t as its RFC 3339 text, one length byte first; the zero
// time (which JSON writes as the year 1 in UTC and reads back as the zero
// time) as no text.
func (w *recWriter) time(t time.Time) {
	if w.instants {
		w.int(t.Unix())
		w.uint(uint64(t.Nanosecond()))
		return
	}
	if t == (time.Time{}) {
		w.b = append(w.b, 0)
		return
	}
	// The instant and the zone offset: all the RFC 3339 text holds, and
	// much cheaper to write. It fails where the text would (a year outside
	// 0–9999 on the local calendar, an offset of a day or more).
	sec := t.Unix()
	_, off := t.Zone()
	if local := sec + int64(off); local < minTextSec || local >= maxTextSec || off <= -24*3600 || off >= 24*3600 {
		if w.err == nil {
			w.err = fmt.Errorf("loyalty: encoding a time: %s cannot be written in RFC 3339", t)
		}
		return
	}
	w.b = append(w.b, 1)
	w.int(sec)
	w.uint(uint64(t.Nanosecond()))
	w.int(int64(off))
}

// minTextSec and maxTextSec bound the local times RFC 3339 can write: the
// years 0 to 9999.
var (
	minTextSec = time.Date(0, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxTextSec = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
)

// decimal writes d exactly: as an amount when it fits one, else as text.
func (w *recWriter) decimal(d decimal.Decimal) {
	if a, ok := amountOf(d); ok {
		w.b = append(w.b, 0)
		w.amount(a)
		return
	}
	w.b = append(w.b, 1)
	w.str(d.String())
}

func (w *recWriter) amount(a amount) {
	w.int(a.c)
	w.int(int64(a.exp))
}

func (w *recWriter) raw(x rawPoints) {
	w.uint(x.hi)
	w.uint(x.lo)
}

func (w *recWriter) quote(q *Quote) {
	w.str(q.ProgramID)
	w.str(q.PurchaseID)
	w.str(string(q.Event))
	w.time(q.Time)
	w.str(q.Currency)
	w.uint(uint64(len(q.Rules)))
	for i := range q.Rules {
		w.rule(&q.Rules[i])
	}
	w.uint(uint64(len(q.Lines)))
	for i := range q.Lines {
		w.line(&q.Lines[i], q.Rules)
	}
	w.int(q.Capped)
	w.str(q.CappedBy)
	w.int(q.Total)
	w.time(q.PendingUntil)
	w.bool(q.ReleaseByHost)
	w.time(q.ExpiresAt)
}

func (w *recWriter) rule(r *RuleQuote) {
	w.str(r.RuleID)
	w.str(string(r.Kind))
	w.str(r.Group)
	w.int(int64(r.Priority))
	w.decimal(r.Multiplier)
	w.amount(r.baseAmount)
	w.raw(r.basePoints)
	w.raw(r.exact)
	w.str(string(r.Rounding))
	w.int(r.Rounded)
	w.int(r.CappedByRule)
	w.int(r.CappedByProgram)
	w.int(r.Points)
	w.int(int64(r.Lines))
}

// line writes a line quote. Its rule split names rules by index into the
// line's rule IDs, which are the quote's own (as decoding links them) or,
// failing that, written out.
func (w *recWriter) line(l *LineQuote, rules []RuleQuote) {
	w.int(int64(l.Line))
	w.str(l.SKU)
	w.decimal(l.Quantity)
	w.bool(l.Earning)
	w.amount(l.orderDiscount)
	w.amount(l.tax)
	w.amount(l.net)
	w.int(l.Points)
	w.uint(uint64(len(l.byRule)))
	if len(l.byRule) == 0 {
		return
	}
	if sameRuleIDs(l.rules, rules) {
		w.uint(0)
	} else {
		w.uint(uint64(len(l.rules)) + 1)
		for _, id := range l.rules {
			w.str(id)
		}
	}
	for _, s := range l.byRule {
		w.uint(uint64(s))
	}
}

func sameRuleIDs(ids []string, rules []RuleQuote) bool {
	if len(ids) != len(rules) {
		return false
	}
	for i := range ids {
		if ids[i] != rules[i].RuleID {
			return false
		}
	}
	return true
}

func (w *recWriter) entry(e *ledger.Entry) {
	w.int(e.Seq)
	w.str(e.ID)
	w.str(e.Account)
	w.str(string(e.Kind))
	w.int(e.Points)
	w.int(e.Pending)
	w.int(e.Held)
	w.int(e.Debt)
	w.time(e.Time)
	w.str(e.Reference)
	w.str(e.Purchase)
	w.str(e.Corrects)
	w.count(len(e.Draws), e.Draws == nil)
	for _, d := range e.Draws {
		w.str(d.LotID)
		w.int(d.Points)
		w.int(d.Pending)
		w.int(d.Held)
	}
	w.str(e.Reason)
	w.str(e.Actor)
}

func (w *recWriter) tier(t *TierState) {
	w.str(t.Tier)
	for _, at := range [...]time.Time{t.Since, t.MemberSince, t.GuaranteedUntil, t.GraceUntil, t.GraceSince, t.NextReview, t.Seen} {
		w.time(at)
	}
	w.bool(t.Override != nil)
	if o := t.Override; o != nil {
		w.str(o.Tier)
		w.time(o.Until)
		w.str(o.Reason)
	}
}

func (w *recWriter) event(ev *Event) {
	w.str(string(ev.Type))
	w.str(ev.MemberID)
	w.time(ev.At)
	w.int(ev.Points)
	w.str(ev.Reference)
	w.time(ev.ExpiresAt)
	w.bool(ev.Tier != nil)
	if c := ev.Tier; c != nil {
		w.str(c.From)
		w.str(c.To)
		w.time(c.At)
		w.str(string(c.Reason))
	}
	w.bool(ev.Coupon != nil)
	if c := ev.Coupon; c != nil {
		w.str(c.ID)
		w.str(c.RewardID)
		for _, at := range [...]time.Time{c.IssuedAt, c.ValidFrom, c.ValidUntil, c.UsedAt} {
			w.time(at)
		}
		w.str(c.UsedOn)
	}
}

// errRecord: a binary record (an earn's, an activity) that is cut short
// or malformed.
var errRecord = errors.New("loyalty: malformed binary record")

// decodeRecord decodes a binary earn record.
func (r *EarnResult) decodeRecord(raw []byte) error {
	if len(raw) < len(earnRecordMagic) || string(raw[:len(earnRecordMagic)]) != earnRecordMagic {
		return errRecord
	}
	d := recReader{b: raw[len(earnRecordMagic):]}
	var out EarnResult
	out.MemberID = d.str()
	d.quote(&out.Quote)
	if n, isNil := d.count(); !isNil {
		out.Entries = make([]ledger.Entry, n)
		for i := range out.Entries {
			d.entry(&out.Entries[i])
		}
	}
	d.tier(&out.Tier)
	if n, isNil := d.count(); !isNil {
		out.Events = make([]Event, n)
		for i := range out.Events {
			d.event(&out.Events[i])
		}
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return d.err
	}
	*r = out
	return nil
}

// recReader reads record fields, keeping the first error; after one it
// reads zeros. instants is recWriter's.
type recReader struct {
	b        []byte
	err      error
	instants bool
	// text, if set, is the bytes being read (from the reader's start) as
	// one string: strings are cut from it instead of each allocated.
	text string
}

func (d *recReader) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: %s", errRecord, what)
	}
	d.b = nil
}

func (d *recReader) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad integer")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recReader) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad integer")
		return 0
	}
	d.b = d.b[n:]
	return v
}

// small reads an integer that must fit an int.
func (d *recReader) small() int {
	v := d.int()
	if v < -1<<31 || v >= 1<<31 {
		d.fail("integer out of range")
		return 0
	}
	return int(v)
}

func (d *recReader) bytes(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail("cut short")
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

func (d *recReader) str() string {
	n := d.uint()
	if d.text == "" || n > uint64(len(d.b)) {
		return string(d.bytes(n))
	}
	at := len(d.text) - len(d.b)
	d.b = d.b[n:]
	return d.text[at : at+int(n)]
}

func (d *recReader) bool() bool {
	b := d.bytes(1)
	if len(b) == 0 {
		return false
	}
	if b[0] > 1 {
		d.fail("bad flag")
	}
	return b[0] == 1
}

// length reads a list length no longer than what is left to read (every
// element takes a byte at least).
func (d *recReader) length(n uint64) int {
	if n > uint64(len(d.b)) || n > maxRecordCount {
		d.fail("list too long")
		return 0
	}
	return int(n)
}

func (d *recReader) count() (int, bool) {
	n := d.uint()
	if n == 0 {
		return 0, true
	}
	return d.length(n - 1), d.err != nil
}

func (d *recReader) time() time.Time {
	if d.instants {
		sec, nsec := d.int(), d.uint()
		if nsec >= 1e9 {
			d.fail("bad time")
			return time.Time{}
		}
		return time.Unix(sec, int64(nsec)).UTC()
	}
	switch kind := d.bytes(1); {
	case len(kind) == 0 || kind[0] == 0:
		return time.Time{}
	case kind[0] != 1:
		d.fail("bad time")
		return time.Time{}
	}
	sec, nsec, off := d.int(), d.uint(), d.int()
	if d.err != nil || nsec >= 1e9 || off <= -24*3600 || off >= 24*3600 || sec+off < minTextSec || sec+off >= maxTextSec {
		d.fail("bad time")
		return time.Time{}
	}
	if off == 0 {
		// "Z" in the text, which parsing reads as UTC: no text needed.
		return time.Unix(sec, int64(nsec)).UTC()
	}
	// The time JSON gave: its RFC 3339 text in the recorded offset, read
	// back (so zones come back as parsing makes them, the local zone
	// included, and an offset's seconds are dropped as the text drops them).
	var buf [40]byte
	text, err := time.Unix(sec, int64(nsec)).In(time.FixedZone("", int(off))).AppendText(buf[:0])
	var t time.Time
	if err == nil {
		err = t.UnmarshalText(text)
	}
	if err != nil {
		d.fail("bad time")
	}
	return t
}

func (d *recReader) decimal() decimal.Decimal {
	switch kind := d.bytes(1); {
	case len(kind) == 0:
		return decimal.Decimal{}
	case kind[0] == 0:
		a := d.amount()
		return amountDecimal(a)
	case kind[0] == 1:
		v, err := decimal.NewFromString(d.str())
		if err != nil {
			d.fail("bad decimal")
		}
		return v
	}
	d.fail("bad decimal")
	return decimal.Decimal{}
}

// amountDecimal is the decimal JSON decoding gives for an amount's text
// ("0", an integer written out, or a fraction without trailing zeros):
// the exponent is never positive. Amounts are canonical, so an integer
// written out has at most 18 digits.
func amountDecimal(a amount) decimal.Decimal {
	c := a.c
	for range max(a.exp, 0) {
		c *= 10
	}
	return decimal.New(c, min(a.exp, 0))
}

// amount reads an amount, which must be canonical and within the range
// JSON decoding accepts.
func (d *recReader) amount() amount {
	c, exp := d.int(), d.int()
	if exp < -maxAmountExp || exp > maxAmountExp {
		d.fail("amount out of range")
		return amount{}
	}
	a := newAmount(c, int32(exp))
	if a != (amount{c, int32(exp)}) || (a.exp > 0 && digits(a.c)+int(a.exp) > 18) {
		d.fail("amount not canonical")
		return amount{}
	}
	return a
}

func (d *recReader) raw() rawPoints { return rawPoints{hi: d.uint(), lo: d.uint()} }

func (d *recReader) quote(q *Quote) {
	q.ProgramID = d.str()
	q.PurchaseID = d.str()
	q.Event = EventKind(d.str())
	q.Time = d.time()
	q.Currency = d.str()
	if n := d.length(d.uint()); n > 0 {
		q.Rules = make([]RuleQuote, n)
		for i := range q.Rules {
			d.rule(&q.Rules[i])
		}
	}
	var ids []string
	if n := d.length(d.uint()); n > 0 {
		q.Lines = make([]LineQuote, n)
		for i := range q.Lines {
			d.line(&q.Lines[i], q.Rules, &ids)
		}
	}
	q.Capped = d.int()
	q.CappedBy = d.str()
	q.Total = d.int()
	q.PendingUntil = d.time()
	q.ReleaseByHost = d.bool()
	q.ExpiresAt = d.time()
}

func (d *recReader) rule(r *RuleQuote) {
	r.RuleID = d.str()
	r.Kind = RuleKind(d.str())
	r.Group = d.str()
	r.Priority = d.small()
	r.Multiplier = d.decimal()
	r.baseAmount = d.amount()
	r.basePoints = d.raw()
	r.exact = d.raw()
	r.Rounding = Rounding(d.str())
	r.Rounded = d.int()
	r.CappedByRule = d.int()
	r.CappedByProgram = d.int()
	r.Points = d.int()
	r.Lines = d.small()
}

// line reads a line quote; lines naming the quote's rules share one slice
// of their IDs (*ids, made once), as decoding JSON links them.
func (d *recReader) line(l *LineQuote, rules []RuleQuote, ids *[]string) {
	l.Line = d.small()
	l.SKU = d.str()
	l.Quantity = d.decimal()
	l.Earning = d.bool()
	l.orderDiscount = d.amount()
	l.tax = d.amount()
	l.net = d.amount()
	l.Points = d.int()
	n := d.length(d.uint())
	if n == 0 {
		return
	}
	if k := d.uint(); k == 0 {
		if *ids == nil {
			*ids = make([]string, len(rules))
			for j := range rules {
				(*ids)[j] = rules[j].RuleID
			}
		}
		l.rules = *ids
	} else {
		l.rules = make([]string, d.length(k-1))
		for j := range l.rules {
			l.rules[j] = d.str()
		}
	}
	l.byRule = make([]ruleShare, n)
	for i := range l.byRule {
		s := ruleShare(d.uint())
		if s.rule() >= len(l.rules) {
			d.fail("rule split names no rule")
			return
		}
		l.byRule[i] = s
	}
}

func (d *recReader) entry(e *ledger.Entry) {
	e.Seq = d.int()
	e.ID = d.str()
	e.Account = d.str()
	e.Kind = ledger.EntryKind(d.str())
	e.Points = d.int()
	e.Pending = d.int()
	e.Held = d.int()
	e.Debt = d.int()
	e.Time = d.time()
	e.Reference = d.str()
	e.Purchase = d.str()
	e.Corrects = d.str()
	if n, isNil := d.count(); !isNil {
		e.Draws = make([]ledger.Draw, n)
		for i := range e.Draws {
			e.Draws[i] = ledger.Draw{LotID: d.str(), Points: d.int(), Pending: d.int(), Held: d.int()}
		}
	}
	e.Reason = d.str()
	e.Actor = d.str()
}

func (d *recReader) tier(t *TierState) {
	t.Tier = d.str()
	for _, at := range [...]*time.Time{&t.Since, &t.MemberSince, &t.GuaranteedUntil, &t.GraceUntil, &t.GraceSince, &t.NextReview, &t.Seen} {
		*at = d.time()
	}
	if d.bool() {
		t.Override = &TierOverride{Tier: d.str(), Until: d.time(), Reason: d.str()}
	}
}

func (d *recReader) event(ev *Event) {
	ev.Type = EventType(d.str())
	ev.MemberID = d.str()
	ev.At = d.time()
	ev.Points = d.int()
	ev.Reference = d.str()
	ev.ExpiresAt = d.time()
	if d.bool() {
		ev.Tier = &TierChange{From: d.str(), To: d.str(), At: d.time(), Reason: TierChangeReason(d.str())}
	}
	if d.bool() {
		c := &Coupon{ID: d.str(), RewardID: d.str()}
		for _, at := range [...]*time.Time{&c.IssuedAt, &c.ValidFrom, &c.ValidUntil, &c.UsedAt} {
			*at = d.time()
		}
		c.UsedOn = d.str()
		ev.Coupon = c
	}
}
