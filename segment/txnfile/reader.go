package txnfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Record is one parsed row. Customer points into the reader's buffer and
// is valid until the next call to Read; copy it (or intern it, as Table
// does) to keep it.
type Record struct {
	Customer []byte
	Day      int32 // days since 1970-01-01 of the date as written
	Amount   int64 // minor units at Format.Places decimals
	Line     int   // line of the file where the row starts
}

// Reader streams Records from a delimited file with a header row. It
// holds one buffer of the file, never the whole file.
type Reader struct {
	src    io.Reader
	f      Format
	buf    []byte // buf[pos:end] is read but not consumed
	base   int64  // offset in the input of buf[0]
	quoted bool   // a row with a quote has been read
	pos    int
	end    int
	eof    bool
	line   int // lines consumed so far
	ncols  int
	col    [3]int // field index of customer, date, amount
	fields [3][]byte
	rec    []byte // a quoted row copied out of buf (it may span refills)
	unq    []byte // unquoted field values of a quoted row
	last   int    // the largest of col
	days   dayCache
}

const bufSize = 256 << 10

// NewReader checks f, reads the header row and finds the columns f names.
// A header without one of them, or with one twice, fails with ErrFormat.
func NewReader(r io.Reader, f Format) (*Reader, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	rd := &Reader{src: r, f: f, buf: make([]byte, bufSize)}
	row, start, err := rd.nextRow()
	if err == io.EOF {
		return nil, fmt.Errorf("%w: no header row", ErrFormat)
	}
	if err != nil {
		return nil, err
	}
	row = bytes.TrimPrefix(row, []byte("\xef\xbb\xbf"))
	_, names, perr := rd.split(row, true)
	if perr != "" {
		return nil, &RowError{Line: start, Problem: "header: " + perr}
	}
	rd.ncols = len(names)
	want := [3]string{f.Customer, f.Date, f.Amount}
	for k, name := range want {
		rd.col[k] = -1
		for i, h := range names {
			if string(bytes.TrimSpace(h)) != name {
				continue
			}
			if rd.col[k] >= 0 {
				return nil, fmt.Errorf("%w: header has column %q twice", ErrFormat, name)
			}
			rd.col[k] = i
		}
		if rd.col[k] < 0 {
			return nil, fmt.Errorf("%w: header has no column %q", ErrFormat, name)
		}
	}
	rd.last = max(rd.col[0], rd.col[1], rd.col[2])
	return rd, nil
}

// Read returns the next row. At the end of the input it returns io.EOF.
// A row that does not parse returns a *RowError and the reader moves on,
// so the caller decides whether to stop; any other error is the input's
// and is final.
func (rd *Reader) Read() (Record, error) {
	row, start, err := rd.nextRow()
	if err != nil {
		return Record{}, err
	}
	n, _, perr := rd.split(row, false)
	if perr != "" {
		return Record{}, &RowError{Line: start, Problem: perr}
	}
	if n != rd.ncols {
		return Record{}, &RowError{Line: start, Problem: fmt.Sprintf("has %d fields, the header %d", n, rd.ncols)}
	}
	rec := Record{Line: start, Customer: bytes.TrimSpace(rd.fields[0])}
	if len(rec.Customer) == 0 {
		return Record{}, &RowError{Line: start, Column: rd.f.Customer, Problem: "empty"}
	}
	var problem string
	if rec.Day, problem = rd.days.parse(bytes.TrimSpace(rd.fields[1]), rd.f.Order); problem != "" {
		return Record{}, &RowError{Line: start, Column: rd.f.Date, Problem: problem}
	}
	if rec.Amount, problem = parseMinor(bytes.TrimSpace(rd.fields[2]), rd.f.Places, rd.f.DecimalMark); problem != "" {
		return Record{}, &RowError{Line: start, Column: rd.f.Amount, Problem: problem}
	}
	return rec, nil
}

// nextRow returns the next non-empty row without its line break and the
// line it starts on. A row with an open quote runs on over line breaks.
func (rd *Reader) nextRow() ([]byte, int, error) {
	for {
		line, err := rd.nextLine()
		if err != nil {
			return nil, 0, err
		}
		start := rd.line
		if bytes.IndexByte(line, '"') >= 0 {
			rd.quoted = true
			if rd.endsInQuote(line, false) {
				return rd.quotedRow(line, start)
			}
		}
		if len(line) > 0 {
			return line, start, nil
		}
	}
}

// quotedRow joins lines until the quotes balance. The lines are copied
// out, since reading more may move the buffer.
func (rd *Reader) quotedRow(first []byte, start int) ([]byte, int, error) {
	rd.rec = append(rd.rec[:0], first...)
	for open := true; open; {
		line, err := rd.nextLine()
		if err == io.EOF {
			return nil, 0, &RowError{Line: start, Problem: "quoted field not closed"}
		}
		if err != nil {
			return nil, 0, err
		}
		rd.rec = append(rd.rec, '\n')
		rd.rec = append(rd.rec, line...)
		open = rd.endsInQuote(line, true)
	}
	return rd.rec, start, nil
}

// endsInQuote reports whether line, which starts inside a quoted field
// when inQuote, ends inside one. A quote that opens mid-field does not
// open anything: split refuses that row on its own, so one stray quote
// cannot swallow the rest of the file.
func (rd *Reader) endsInQuote(line []byte, inQuote bool) bool {
	fieldStart := !inQuote
	for i, c := range line {
		switch {
		case inQuote:
			if c == '"' {
				inQuote = false // a doubled quote reopens on the next byte
			}
		case c == '"':
			if fieldStart || (i > 0 && line[i-1] == '"') {
				inQuote = true
			}
			fieldStart = false
		case c == rd.f.Comma:
			fieldStart = true
		default:
			fieldStart = false
		}
	}
	return inQuote
}

// nextLine returns the next line without "\n" or "\r\n", valid until the
// next call.
func (rd *Reader) nextLine() ([]byte, error) {
	for {
		if i := bytes.IndexByte(rd.buf[rd.pos:rd.end], '\n'); i >= 0 {
			line := rd.buf[rd.pos : rd.pos+i]
			rd.pos += i + 1
			rd.line++
			return bytes.TrimSuffix(line, []byte{'\r'}), nil
		}
		if rd.eof {
			if rd.pos == rd.end {
				return nil, io.EOF
			}
			line := rd.buf[rd.pos:rd.end]
			rd.pos = rd.end
			rd.line++
			return bytes.TrimSuffix(line, []byte{'\r'}), nil
		}
		if err := rd.fill(); err != nil {
			return nil, err
		}
	}
}

// fill moves the unconsumed bytes to the front, growing the buffer when a
// single line fills it, and reads more.
func (rd *Reader) fill() error {
	n := copy(rd.buf, rd.buf[rd.pos:rd.end])
	rd.base += int64(rd.pos)
	rd.pos, rd.end = 0, n
	if n == len(rd.buf) {
		rd.buf = append(rd.buf, make([]byte, len(rd.buf))...)
	}
	for range 100 { // io.Reader may return 0, nil; io.ReadFull's limit
		m, err := rd.src.Read(rd.buf[rd.end:])
		rd.end += m
		if errors.Is(err, io.EOF) {
			rd.eof = true
			return nil
		}
		if err != nil {
			return err
		}
		if m > 0 {
			return nil
		}
	}
	return io.ErrNoProgress
}

// split cuts a row into fields and returns how many there are. For the
// header (all) it returns every field; for a row it fills rd.fields with
// the customer, date and amount fields only.
func (rd *Reader) split(row []byte, all bool) (int, [][]byte, string) {
	if bytes.IndexByte(row, '"') >= 0 {
		return rd.splitQuoted(row, all)
	}
	var out [][]byte
	n := 0
	for {
		i := bytes.IndexByte(row, rd.f.Comma)
		field := row
		if i >= 0 {
			field = row[:i]
		}
		rd.keep(n, field, all, &out)
		n++
		if i < 0 {
			break
		}
		row = row[i+1:]
		if !all && n > rd.last { // past the columns read: only count the rest
			return n + 1 + bytes.Count(row, []byte{rd.f.Comma}), nil, ""
		}
	}
	return n, out, ""
}

// keep records field number n: every field for the header, only the
// three wanted ones for a row.
func (rd *Reader) keep(n int, field []byte, all bool, out *[][]byte) {
	switch {
	case all:
		*out = append(*out, field)
	case n == rd.col[0]:
		rd.fields[0] = field
	case n == rd.col[1]:
		rd.fields[1] = field
	case n == rd.col[2]:
		rd.fields[2] = field
	}
}

// splitQuoted is split for rows with quotes (RFC 4180: a quoted field may
// hold the delimiter, line breaks and doubled quotes).
func (rd *Reader) splitQuoted(row []byte, all bool) (int, [][]byte, string) {
	var out [][]byte
	rd.unq = rd.unq[:0]
	// Field values are appended to rd.unq; their bounds are kept as
	// offsets because rd.unq may move as it grows.
	var bounds [][2]int
	for n := 0; ; n++ {
		start := len(rd.unq)
		if len(row) > 0 && row[0] == '"' {
			row = row[1:]
			for {
				i := bytes.IndexByte(row, '"')
				if i < 0 {
					return 0, nil, "quoted field not closed"
				}
				rd.unq = append(rd.unq, row[:i]...)
				row = row[i+1:]
				if len(row) > 0 && row[0] == '"' {
					rd.unq = append(rd.unq, '"')
					row = row[1:]
					continue
				}
				break
			}
			if len(row) > 0 && row[0] != rd.f.Comma {
				return 0, nil, "text after a closing quote"
			}
		} else {
			i := bytes.IndexByte(row, rd.f.Comma)
			field := row
			if i >= 0 {
				field = row[:i]
			}
			if bytes.IndexByte(field, '"') >= 0 {
				return 0, nil, "quote inside an unquoted field"
			}
			rd.unq = append(rd.unq, field...)
			row = row[len(field):]
		}
		bounds = append(bounds, [2]int{start, len(rd.unq)})
		if len(row) == 0 {
			break
		}
		row = row[1:] // the delimiter
	}
	for n, b := range bounds {
		rd.keep(n, rd.unq[b[0]:b[1]:b[1]], all, &out)
	}
	return len(bounds), out, ""
}
