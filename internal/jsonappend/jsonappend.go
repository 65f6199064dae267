package jsonappend

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

// Key appends sep (an object's '{' or ',') and "key":. The key must need
// no escaping: callers pass constant field names.
func Key(b []byte, sep byte, key string) []byte {
	b = append(b, sep, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

// String appends s as encoding/json encodes it: the common plain ASCII
// case directly, anything needing escapes through encoding/json.
func String(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			enc, _ := json.Marshal(s) // a string always encodes
			return append(b, enc...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Time appends t as time.Time encodes it in JSON (an error for years
// outside 0-9999, as there): AppendText writes the same strict RFC 3339
// text MarshalJSON quotes, without allocating.
func Time(b []byte, t time.Time) ([]byte, error) {
	b, err := t.AppendText(append(b, '"'))
	if err != nil {
		return nil, fmt.Errorf("encoding a time: %w", err)
	}
	return append(b, '"'), nil
}

// Decimal appends d as decimal.Decimal encodes it in JSON: its String in
// quotes, written without allocating when the coefficient has at most 18
// digits (NumDigits and CoefficientInt64 read it in place).
func Decimal(b []byte, d decimal.Decimal) []byte {
	if e := d.Exponent(); e >= -64 && e <= 64 && d.NumDigits() <= 18 {
		c := d.CoefficientInt64()
		u := uint64(c)
		if c < 0 {
			u = -u
		}
		var buf [20]byte
		b = append(b, '"')
		b = Plain(b, c < 0, strconv.AppendUint(buf[:0], u, 10), int(e))
		return append(b, '"')
	}
	b = append(b, '"')
	b = append(b, d.String()...)
	return append(b, '"')
}

// Plain appends digits × 10^exp (digits: the magnitude's decimal
// digits, "0" for zero) in decimal.Decimal.String's form: plain notation,
// no trailing zeros after the point.
func Plain(b []byte, neg bool, digits []byte, exp int) []byte {
	if neg {
		b = append(b, '-')
	}
	if exp >= 0 {
		b = append(b, digits...)
		if len(digits) == 1 && digits[0] == '0' {
			return b
		}
		for range exp {
			b = append(b, '0')
		}
		return b
	}
	frac := -exp
	lead := 0
	intPart, fracPart := []byte("0"), digits
	if len(digits) > frac {
		intPart, fracPart = digits[:len(digits)-frac], digits[len(digits)-frac:]
	} else {
		lead = frac - len(digits)
	}
	for len(fracPart) > 0 && fracPart[len(fracPart)-1] == '0' {
		fracPart = fracPart[:len(fracPart)-1]
	}
	b = append(b, intPart...)
	if len(fracPart) == 0 {
		return b
	}
	b = append(b, '.')
	for range lead {
		b = append(b, '0')
	}
	return append(b, fracPart...)
}

// Int appends n.
func Int(b []byte, n int64) []byte { return strconv.AppendInt(b, n, 10) }

// ListSep opens a JSON array before its first element and separates the
// others.
func ListSep(i int) byte {
	if i == 0 {
		return '['
	}
	return ','
}
