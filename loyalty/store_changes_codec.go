package loyalty

// changeMagic starts an encoded Change: a zero byte (no JSON starts with
// one) and a form number, so a later form can be told from this one.
const changeMagic = "\x00c1"

// EncodeChange is the compact binary form of a Change for a journal
// column: the version, the entry Seq, and the lot IDs and record kinds and
// keys, each length-prefixed. An earn's change is some forty bytes.
func EncodeChange(c Change) []byte {
	w := recWriter{b: make([]byte, 0, 16+8*(len(c.Lots)+2*len(c.Records)))}
	w.b = append(w.b, changeMagic...)
	w.int(c.Version)
	w.int(c.EntriesAfter)
	w.uint(uint64(len(c.Lots)))
	for _, id := range c.Lots {
		w.str(id)
	}
	w.uint(uint64(len(c.Records)))
	for _, r := range c.Records {
		w.str(string(r.Kind))
		w.str(r.Key)
	}
	return w.b
}

// DecodeChange reads what EncodeChange wrote; bytes it did not write fail
// with an error (never a panic).
func DecodeChange(b []byte) (Change, error) {
	var c Change
	if len(b) < len(changeMagic) || string(b[:len(changeMagic)]) != changeMagic {
		return c, errRecord
	}
	d := recReader{b: b[len(changeMagic):]}
	c.Version, c.EntriesAfter = d.int(), d.int()
	if n := d.length(d.uint()); n > 0 {
		c.Lots = make([]string, n)
		for i := range c.Lots {
			c.Lots[i] = d.str()
		}
	}
	if n := d.length(d.uint()); n > 0 {
		c.Records = make([]RecordRef, n)
		for i := range c.Records {
			c.Records[i] = RecordRef{Kind: RecordKind(d.str()), Key: d.str()}
		}
	}
	if err := d.end(); err != nil {
		return Change{}, err
	}
	return c, nil
}
