package clv

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// CDNOWRecord is one purchase line of the CDNOW files distributed with the
// BG/NBD papers (and the lifetimes library).
type CDNOWRecord struct {
	// MasterID is the customer ID in CDNOW_master.txt, without leading zeros.
	MasterID string
	// SampleID is the customer ID in the 1/10 sample (1 to 2357, the ID of
	// the published summaries), without leading zeros; empty for the master
	// file.
	SampleID string
	// Date is the purchase day at midnight UTC.
	Date time.Time
	// CDs is the number of CDs bought.
	CDs int
	// Amount is the dollar value.
	Amount decimal.Decimal
}

// Transaction converts the record, keyed by SampleID when present (so a
// summary of the sample matches the published ID column) and by MasterID
// otherwise.
func (r CDNOWRecord) Transaction() Transaction {
	id := r.SampleID
	if id == "" {
		id = r.MasterID
	}
	return Transaction{CustomerID: id, Time: r.Date, Amount: r.Amount}
}

// CDNOWTransactions yields the records as transactions.
func CDNOWTransactions(recs []CDNOWRecord) iter.Seq2[Transaction, error] {
	return func(yield func(Transaction, error) bool) {
		for i := range recs {
			if !yield(recs[i].Transaction(), nil) {
				return
			}
		}
	}
}

// ReadCDNOW parses a CDNOW purchase file: whitespace-separated columns,
// LF or CRLF line ends, either the master layout (customer id, YYYYMMDD
// date, number of CDs, dollar value) or the sample layout (master id,
// sample id, date, CDs, dollars). A first line whose first column is not a
// number is taken as a header and skipped; blank lines are skipped. All
// lines must have the same layout, and dates before 1900 are refused. Any
// malformed line fails the whole read with a *ParseError (errors.Is
// ErrSyntax) naming the line and column.
func ReadCDNOW(r io.Reader) ([]CDNOWRecord, error) {
	sc := bufio.NewScanner(r)
	var recs []CDNOWRecord
	cols, line := 0, 0
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(recs) == 0 && cols == 0 && line == 1 && !isDigits(fields[0]) {
			continue // header
		}
		if cols == 0 {
			cols = len(fields)
		}
		if len(fields) != cols || (cols != 4 && cols != 5) {
			return nil, &ParseError{Line: line, Field: "columns", Reason: fmt.Sprintf("got %d columns, want 4 (master) or 5 (sample) consistently", len(fields))}
		}
		rec, err := parseCDNOWFields(fields, line)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &ParseError{Line: line + 1, Field: "line", Reason: "line longer than 64 KiB"}
		}
		return nil, fmt.Errorf("clv: reading cdnow: %w", err)
	}
	return recs, nil
}

func parseCDNOWFields(f []string, line int) (CDNOWRecord, error) {
	var rec CDNOWRecord
	id, err := parseID(f[0])
	if err != nil {
		return rec, &ParseError{Line: line, Field: "customer id", Reason: err.Error()}
	}
	rec.MasterID = id
	if len(f) == 5 {
		if rec.SampleID, err = parseID(f[1]); err != nil {
			return rec, &ParseError{Line: line, Field: "sample id", Reason: err.Error()}
		}
		f = f[1:]
	}
	if len(f[1]) != 8 || !isDigits(f[1]) {
		return rec, &ParseError{Line: line, Field: "date", Reason: "want YYYYMMDD"}
	}
	if rec.Date, err = time.Parse("20060102", f[1]); err != nil {
		return rec, &ParseError{Line: line, Field: "date", Reason: "not a calendar date"}
	}
	if rec.Date.Year() < 1900 {
		return rec, &ParseError{Line: line, Field: "date", Reason: "year before 1900"}
	}
	if rec.CDs, err = strconv.Atoi(f[2]); err != nil || rec.CDs < 0 {
		return rec, &ParseError{Line: line, Field: "number of CDs", Reason: "want a non-negative integer"}
	}
	if !isPlainDecimal(f[3]) {
		return rec, &ParseError{Line: line, Field: "dollar value", Reason: "want a plain decimal such as 12.34"}
	}
	if rec.Amount, err = decimal.NewFromString(f[3]); err != nil {
		return rec, &ParseError{Line: line, Field: "dollar value", Reason: "not a decimal"}
	}
	return rec, nil
}

// parseID checks an all-digit ID and strips its leading zeros.
func parseID(s string) (string, error) {
	if !isDigits(s) || len(s) > 18 {
		return "", errors.New("want 1 to 18 digits")
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		t = "0"
	}
	return t, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPlainDecimal accepts digits with at most one point and an optional
// leading minus, at most 30 characters: no exponents, so parsing cannot be
// asked to build huge numbers.
func isPlainDecimal(s string) bool {
	if len(s) == 0 || len(s) > 30 {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			digits++
		case s[i] == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}
