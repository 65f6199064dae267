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
// quotes.
func Decimal(b []byte, d decimal.Decimal) []byte {
	b = append(b, '"')
	b = append(b, d.String()...)
	return append(b, '"')
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
