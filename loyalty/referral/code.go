package referral

import (
	"crypto/rand"
	"io"
	"strings"
)

// crockford is Crockford's base-32 alphabet: no I, L, O or U, so a code
// read aloud or typed from a poster is not misread; the check symbols
// add *~$=U for values 32 to 36.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U"

// codeBody is the number of random symbols: 40 bits, so a guessed code
// hits one of a million members with odds under one in a million.
const codeBody = 8

// newCode draws a code from r: eight random symbols and a check symbol.
func newCode(r io.Reader) (string, error) {
	var b [codeBody]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", err
	}
	out := make([]byte, 0, codeBody+1)
	for _, x := range b {
		out = append(out, crockford[x&31])
	}
	return string(out) + string(crockford[checkValue(string(out))]), nil
}

// checkValue is the code's value modulo 37 (Crockford's check symbol),
// computed digit by digit; it catches every single-symbol error and every
// transposition of adjacent symbols.
func checkValue(body string) int {
	v := 0
	for i := 0; i < len(body); i++ {
		v = (v*32 + strings.IndexByte(crockford[:32], body[i])) % 37
	}
	return v
}

// NormaliseCode reads a code as a customer may type it: case and hyphens
// and spaces ignored, O read as 0 and I and L as 1. It reports false for
// anything that is not a well-formed code with a correct check symbol.
func NormaliseCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-', ' ':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(crockford, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	c := b.String()
	if len(c) != codeBody+1 {
		return "", false
	}
	body := c[:codeBody]
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(crockford[:32], body[i]) < 0 {
			return "", false
		}
	}
	if crockford[checkValue(body)] != c[codeBody] {
		return "", false
	}
	return c, true
}

// defaultRand is crypto/rand's reader.
var defaultRand io.Reader = rand.Reader
