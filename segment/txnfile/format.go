package txnfile

import (
	"errors"
	"fmt"
)

// DateOrder is the order of year, month and day in the date column.
type DateOrder uint8

// Date orders.
const (
	YMD DateOrder = iota // 2024-03-05, 2024/03/05 (ISO 8601; the default)
	DMY                  // 05.03.2024, 05/03/2024
	MDY                  // 03/05/2024
)

// BadRowPolicy says what ReadTable does with a row that does not parse.
type BadRowPolicy uint8

// Bad-row policies.
const (
	// RefuseBadRows stops at the first bad row and returns its *RowError;
	// no table is returned. The default.
	RefuseBadRows BadRowPolicy = iota
	// SkipBadRows leaves bad rows out, counts them in Stats.BadRows and
	// keeps the first MaxKeptErrors of their errors in Stats.Errors.
	SkipBadRows
)

// MaxKeptErrors is how many row errors Stats keeps under SkipBadRows, so
// a file of garbage does not make a million-line report.
const MaxKeptErrors = 20

// Format describes a file: the delimiter, the names of the three columns
// read, how dates and amounts are written, and the bad-row policy. The
// zero value is not valid; start from CSV or TSV.
type Format struct {
	// Comma separates fields: ',' for CSV, '\t' for TSV, ';' for files
	// written with a decimal comma. It must not be '"', '\r', '\n', a
	// digit or DecimalMark.
	Comma byte
	// Customer, Date and Amount are the header names of the columns read,
	// matched exactly (a UTF-8 byte-order mark before the header is
	// ignored).
	Customer, Date, Amount string
	// Order is the order of the date parts.
	Order DateOrder
	// Places is the number of decimals of the minor unit (2 for cents, 0
	// for yen, 3 for fils); 0 to 9.
	Places int
	// DecimalMark separates the fraction of an amount: '.' or ','.
	DecimalMark byte
	// BadRows is ReadTable's policy for rows that do not parse.
	BadRows BadRowPolicy
}

// CSV returns the format of a comma-separated file with the named
// columns, ISO dates and amounts with two decimals and a decimal point.
func CSV(customer, date, amount string) Format {
	return Format{Comma: ',', Customer: customer, Date: date, Amount: amount, Places: 2, DecimalMark: '.'}
}

// TSV is CSV with tab-separated fields.
func TSV(customer, date, amount string) Format {
	f := CSV(customer, date, amount)
	f.Comma = '\t'
	return f
}

// Validate reports every problem of the format at once; each matches
// ErrFormat.
func (f Format) Validate() error {
	var errs []error
	bad := func(field, problem string) {
		errs = append(errs, fmt.Errorf("%w: Format.%s: %s", ErrFormat, field, problem))
	}
	switch c := f.Comma; {
	case c == 0:
		bad("Comma", "not set")
	case c == '"' || c == '\r' || c == '\n' || (c >= '0' && c <= '9') || c == '-' || c == '+':
		bad("Comma", "cannot be a quote, a line break, a sign or a digit")
	case c == f.DecimalMark:
		bad("Comma", "equals DecimalMark")
	}
	if f.DecimalMark != '.' && f.DecimalMark != ',' {
		bad("DecimalMark", "must be '.' or ','")
	}
	if f.Places < 0 || f.Places > 9 {
		bad("Places", "must be 0 to 9")
	}
	if f.Order > MDY {
		bad("Order", "unknown date order")
	}
	if f.BadRows > SkipBadRows {
		bad("BadRows", "unknown policy")
	}
	names := map[string]string{}
	for _, c := range []struct{ field, name string }{{"Customer", f.Customer}, {"Date", f.Date}, {"Amount", f.Amount}} {
		if c.name == "" {
			bad(c.field, "empty column name")
			continue
		}
		if other, dup := names[c.name]; dup {
			bad(c.field, "same column as "+other)
		}
		names[c.name] = c.field
	}
	return errors.Join(errs...)
}
