package storedvalue

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// Gift-card codes.
//
// A generated code is 16 characters of Crockford's base-32 alphabet
// (digits and upper-case letters without I, L, O and U): 15 random ones,
// 75 bits from a cryptographic source, then a check character (Damm's
// algorithm over GF(32), see damm), which catches every single mistyped
// character and every swap of two adjacent ones.
// It prints as four groups of four ("7KQ2-M9XD-40RB-TZ5H").
//
// Reading a code forgives what a cashier types: full-width characters
// (from a Chinese IME), lower case, spaces and hyphens; I and L read as 1
// and O as 0, as Crockford intends. An imported code (from a previous
// system) is 6 to 32 letters and digits after the same normalisation and
// carries no check character of ours; one that looks like ours (16
// characters of the alphabet) must pass our check, so a typo in a
// generated code is never taken for an imported one.

const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Code lengths.
const (
	CodeLength       = 16 // a generated code, check character included
	MinImportedCode  = 6
	MaxImportedCode  = 32
	codeRandomLength = CodeLength - 1
)

func codeValue(c byte) int { return strings.IndexByte(codeAlphabet, c) }

// The check character is Damm's algorithm over GF(32): with the
// quasigroup x∘y = 2x + y (field arithmetic modulo x^5 + x^2 + 1), which is
// totally anti-symmetric because 2 ≠ 1, a code is valid when folding all
// its characters from 0 ends in 0. That catches every single wrong
// character and every swap of two adjacent different ones (a test checks
// both exhaustively on generated codes), where Luhn mod 32 misses some
// swaps.
func damm(s string) int {
	r := 0
	for i := range len(s) {
		r = times2(r) ^ codeValue(s[i])
	}
	return r
}

// times2 multiplies by x in GF(2^5) modulo x^5 + x^2 + 1.
func times2(v int) int {
	v <<= 1
	if v&0x20 != 0 {
		v ^= 0x25
	}
	return v
}

// checkChar returns the check character that makes damm of payload plus
// it zero.
func checkChar(payload string) byte { return codeAlphabet[times2(damm(payload))] }

// validCheck reports whether a code of the alphabet ends in its payload's
// check character.
func validCheck(code string) bool { return damm(code) == 0 }

// GenerateCode returns a new gift-card code read from rand (pass
// crypto/rand.Reader; tests pass a seeded source), formatted in groups.
func GenerateCode(rand io.Reader) (string, error) {
	var buf [codeRandomLength]byte
	if _, err := io.ReadFull(rand, buf[:]); err != nil {
		return "", fmt.Errorf("storedvalue: generating a code: %w", err)
	}
	payload := make([]byte, 0, CodeLength)
	for _, b := range buf {
		payload = append(payload, codeAlphabet[b&31]) // 32 divides 256: no bias
	}
	code := string(payload) + string(checkChar(string(payload)))
	return FormatCode(code), nil
}

// FormatCode prints a normalised code in groups of four.
func FormatCode(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(code[i:min(i+4, len(code))])
	}
	return b.String()
}

// NormaliseCode returns the code as it is matched: narrow, upper-case,
// without spaces and hyphens, I and L as 1 and O as 0. It fails with
// ErrInvalidCode (never quoting the code) if the result is not 6 to 32
// letters and digits, or has the shape of a generated code and fails its
// check character.
func NormaliseCode(code string) (string, error) {
	if len(code) > 4*MaxImportedCode {
		return "", errBadCode
	}
	var b strings.Builder
	for _, r := range width.Narrow.String(code) {
		switch {
		case r == ' ' || r == '-':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		switch r {
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
			return "", errBadCode
		}
		b.WriteRune(r)
	}
	n := b.String()
	if len(n) < MinImportedCode || len(n) > MaxImportedCode {
		return "", errBadCode
	}
	if generatedShape(n) && !validCheck(n) {
		return "", errBadCheck
	}
	return n, nil
}

var (
	errBadCode  = fmt.Errorf("storedvalue: code: not 6 to 32 letters and digits: %w", ErrInvalidCode)
	errBadCheck = fmt.Errorf("storedvalue: code: check character does not match (mistyped?): %w", ErrInvalidCode)
)

// generatedShape reports whether a normalised code looks like a generated
// one: 16 characters, all of the alphabet (U is not).
func generatedShape(n string) bool {
	if len(n) != CodeLength {
		return false
	}
	for i := range len(n) {
		if codeValue(n[i]) < 0 {
			return false
		}
	}
	return true
}

func (s *Service) lookupCode(code string) (string, error) { return NormaliseCode(code) }
