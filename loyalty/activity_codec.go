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
// This shrinks the header by a constant; it does not bound it. A header
// that stays small for a member's whole life needs the older months kept
// as month sums, with their days in records of their own (BENCHMARKS.md,
// issue 11).

// activityMagic opens the binary activity: a zero byte, then the format's
// name and version.
const activityMagic = "\x00act1"

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
	if len(raw) < len(activityMagic) || string(raw[:len(activityMagic)]) != activityMagic {
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
