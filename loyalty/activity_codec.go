package loyalty

import "fmt"

// The qualifying activity is most of an account's state document: up to
// two events a day over the tier lookback, some 730 for a member who buys
// daily, which as a JSON array is about 60 KB that every operation decodes
// and writes back. The state document therefore holds it in the earn
// record's binary form (activityBin, which JSON carries as base64): about
// a quarter of the bytes, and decoded without reflection. Decoding gives
// the events the JSON array gave (TestActivityCodecMatchesJSON,
// FuzzActivityCodec); state documents written with the array stay
// readable.
//
// This shrinks the header by a constant; what bounds it is the month fold
// (activity_month.go), which keeps the older months as month sums with
// their days in records of their own. The same form holds those records.

// activityMagic opens the binary activity: a zero byte, then the format's
// name and version. Version 2 adds a flags word to each event (bit 0: a
// month summary); version 1, which has none, stays readable.
const (
	activityMagic   = "\x00act2"
	activityMagicV1 = "\x00act1"
)

// flagMonth marks a month summary in an event's flags.
const flagMonth = 1

// encodeActivity returns the binary form of events (nil for none).
func encodeActivity(events []QualifyingEvent) ([]byte, error) {
	if len(events) == 0 {
		return nil, nil
	}
	w := recWriter{b: make([]byte, 0, len(activityMagic)+24*len(events))}
	w.b = append(w.b, activityMagic...)
	w.uint(uint64(len(events)))
	for i := range events {
		e := &events[i]
		w.time(e.Time)
		w.decimal(e.Spend)
		w.int(e.Purchases)
		w.int(e.Points)
		w.int(e.Count)
		w.str(e.Purchase)
		var flags uint64
		if e.Month {
			flags |= flagMonth
		}
		w.uint(flags)
	}
	if w.err != nil {
		return nil, fmt.Errorf("loyalty: encoding the activity: %w", w.err)
	}
	return w.b, nil
}

// decodeActivity reads what encodeActivity wrote.
func decodeActivity(raw []byte) ([]QualifyingEvent, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	if len(raw) < len(activityMagic) {
		return nil, fmt.Errorf("%w: not a binary activity", errRecord)
	}
	v2 := string(raw[:len(activityMagic)]) == activityMagic
	if !v2 && string(raw[:len(activityMagicV1)]) != activityMagicV1 {
		return nil, fmt.Errorf("%w: not a binary activity", errRecord)
	}
	d := recReader{b: raw[len(activityMagic):], text: string(raw[len(activityMagic):])}
	n := d.length(d.uint())
	events := make([]QualifyingEvent, 0, n)
	for range n {
		if d.err != nil {
			break
		}
		var e QualifyingEvent
		e.Time = d.time()
		e.Spend = d.decimal()
		e.Purchases, e.Points, e.Count = d.int(), d.int(), d.int()
		e.Purchase = d.str()
		if v2 {
			flags := d.uint()
			if flags&^flagMonth != 0 {
				d.fail("unknown activity flags")
			}
			e.Month = flags&flagMonth != 0
		}
		events = append(events, e)
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("trailing bytes")
	}
	if d.err != nil {
		return nil, fmt.Errorf("loyalty: the activity: %w", d.err)
	}
	return events, nil
}
