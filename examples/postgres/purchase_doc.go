package postgres

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/clientele-go/clientele/customer"
	"github.com/shopspring/decimal"
)

// decodePurchase decodes a purchase document as json.Unmarshal does.
//
// An earn reads its purchase's document, and json.Unmarshal's reflection
// over a purchase of three lines (fourteen decimals) cost more of the
// client's CPU than anything else the adapter does per earn. The
// documents PostgreSQL prints are plain: known keys, strings without
// escapes, decimals as strings. purchaseScan reads exactly that form and
// gives up on anything else (an unknown or repeated key, an escape, a
// null but for an array, a number), which json.Unmarshal then decodes, so the result is
// json.Unmarshal's whatever the document holds (FuzzDecodePurchase).
func decodePurchase(doc []byte, p *customer.Purchase) error {
	var fast customer.Purchase
	if (&purchaseScan{b: doc}).purchase(&fast) {
		*p = fast
		return nil
	}
	return json.Unmarshal(doc, p)
}

// purchaseScan reads a purchase document of the plain form from b[i:].
// Every method reports false on anything outside that form.
type purchaseScan struct {
	b []byte
	i int
}

// skip passes JSON whitespace.
func (s *purchaseScan) skip() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// next passes whitespace and reports whether the next byte is c, passing
// it if so.
func (s *purchaseScan) next(c byte) bool {
	s.skip()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// raw returns the next string token, quotes included, if it has no
// escape, no control character and valid UTF-8.
func (s *purchaseScan) raw() ([]byte, bool) {
	if !s.next('"') {
		return nil, false
	}
	start, ascii := s.i-1, true
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			s.i++
			tok := s.b[start:s.i]
			return tok, ascii || utf8.Valid(tok)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		s.i++
	}
	return nil, false
}

// str returns the next string token's text.
func (s *purchaseScan) str() (string, bool) {
	tok, ok := s.raw()
	if !ok {
		return "", false
	}
	return string(tok[1 : len(tok)-1]), true
}

// object reads an object whose keys field names, calling field for each
// with the key's bit in the set of known keys (a repeated key gives up:
// json.Unmarshal would decode it over the first, as this does not).
func (s *purchaseScan) object(keys []string, field func(int) bool) bool {
	if !s.next('{') {
		return false
	}
	if s.next('}') {
		return true
	}
	var seen uint64
	for {
		tok, ok := s.raw()
		if !ok || !s.next(':') {
			return false
		}
		k := -1
		for i, name := range keys {
			if len(tok) == len(name)+2 && string(tok[1:len(tok)-1]) == name {
				k = i
				break
			}
		}
		if k < 0 || seen&(1<<k) != 0 || !field(k) {
			return false
		}
		seen |= 1 << k
		if s.next('}') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// array reads an array, calling start and then elem for each element,
// or a null, leaving the slice nil as json.Unmarshal does (start makes an
// empty one for an array: json.Unmarshal's slice of [] is not nil).
func (s *purchaseScan) array(start func(), elem func() bool) bool {
	s.skip()
	if s.i+4 <= len(s.b) && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	if !s.next('[') {
		return false
	}
	start()
	if s.next(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if s.next(']') {
			return true
		}
		if !s.next(',') {
			return false
		}
	}
}

// unmarshal passes the next string token to u, as json.Unmarshal would.
func (s *purchaseScan) unmarshal(u json.Unmarshaler) bool {
	tok, ok := s.raw()
	return ok && u.UnmarshalJSON(tok) == nil
}

// dec reads a decimal written as a string of at most 18 digits, with a
// sign and a point or not, as decimal.New of its digits and its
// fractional digits' count, which is what Decimal.UnmarshalJSON makes of
// it (without the text copies); any other form goes to UnmarshalJSON.
func (s *purchaseScan) dec(d *decimal.Decimal) bool {
	tok, ok := s.raw()
	if !ok {
		return false
	}
	num := tok[1 : len(tok)-1]
	i, neg := 0, false
	if len(num) > 0 && num[0] == '-' {
		i, neg = 1, true
	}
	var v int64
	digits, frac, point := 0, 0, false
	for ; i < len(num); i++ {
		c := num[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			digits++
			if point {
				frac++
			}
		case c == '.' && !point && digits > 0:
			point = true
		default:
			return d.UnmarshalJSON(tok) == nil
		}
	}
	if digits == 0 || digits > 18 || (point && frac == 0) {
		return d.UnmarshalJSON(tok) == nil
	}
	if neg {
		v = -v
	}
	*d = decimal.New(v, -int32(frac))
	return true
}

// purchaseKeys and lineKeys are the JSON names of customer.Purchase's and
// customer.Line's fields, in the order purchase and line read them.
var (
	purchaseKeys = []string{"id", "customerId", "store", "channel", "staff", "time", "currency", "lines", "orderDiscount", "tax"}
	lineKeys     = []string{"sku", "name", "category", "brand", "tags", "quantity", "unitPrice", "discount", "total"}
)

func (s *purchaseScan) purchase(p *customer.Purchase) bool {
	ok := s.object(purchaseKeys, func(k int) bool {
		var ok bool
		switch k {
		case 0:
			p.ID, ok = s.str()
		case 1:
			p.CustomerID, ok = s.str()
		case 2:
			p.Store, ok = s.str()
		case 3:
			var c string
			c, ok = s.str()
			p.Channel = customer.SalesChannel(c)
		case 4:
			p.Staff, ok = s.str()
		case 5:
			ok = s.unmarshal(&p.Time)
		case 6:
			p.Currency, ok = s.str()
		case 7:
			ok = s.array(func() { p.Lines = []customer.Line{} }, func() bool {
				p.Lines = append(p.Lines, customer.Line{})
				return s.line(&p.Lines[len(p.Lines)-1])
			})
		case 8:
			ok = s.dec(&p.OrderDiscount)
		case 9:
			ok = s.dec(&p.Tax)
		}
		return ok
	})
	s.skip()
	return ok && s.i == len(s.b)
}

func (s *purchaseScan) line(l *customer.Line) bool {
	return s.object(lineKeys, func(k int) bool {
		var ok bool
		switch k {
		case 0:
			l.SKU, ok = s.str()
		case 1:
			l.Name, ok = s.str()
		case 2:
			l.Category, ok = s.str()
		case 3:
			l.Brand, ok = s.str()
		case 4:
			ok = s.array(func() { l.Tags = []string{} }, func() bool {
				t, ok := s.str()
				l.Tags = append(l.Tags, t)
				return ok
			})
		case 5:
			ok = s.dec(&l.Quantity)
		case 6:
			ok = s.dec(&l.UnitPrice)
		case 7:
			ok = s.dec(&l.Discount)
		case 8:
			ok = s.dec(&l.Total)
		}
		return ok
	})
}
