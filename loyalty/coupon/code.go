package coupon

import (
	"crypto/rand"
	"errors"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// alphabet is Crockford's base-32 alphabet: digits and letters without I,
// L, O and U, so no two characters look alike and no word is spelled by
// accident.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Lengths of a generated code.
const (
	// BodyLength is the random part of a generated code: 12 characters,
	// 60 bits.
	BodyLength = 12
	// GeneratedLength is a generated code with its check character.
	GeneratedLength = BodyLength + 1
	// MaxCodeLength bounds generic and imported codes.
	MaxCodeLength = 64
	// MinCodeLength bounds generic and imported codes from below: a
	// shorter code is guessed too easily.
	MinCodeLength = 4
)

var value = func() (v [256]int8) {
	for i := range v {
		v[i] = -1
	}
	for i := range len(alphabet) {
		v[alphabet[i]] = int8(i)
	}
	return v
}()

// checkChar is the Luhn mod 32 check character of body: it catches every
// single mistyped character and most swaps of two adjacent ones.
func checkChar(body string) (byte, bool) {
	factor, sum := 2, 0
	for i := len(body) - 1; i >= 0; i-- {
		v := value[body[i]]
		if v < 0 {
			return 0, false
		}
		addend := factor * int(v)
		factor = 3 - factor
		sum += addend/32 + addend%32
	}
	return alphabet[(32-sum%32)%32], true
}

// Generate returns a new code of BodyLength random characters from r
// (crypto/rand when nil) and its check character.
func Generate(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var buf [BodyLength]byte
	if _, err := io.ReadFull(r, buf[:]); err != nil {
		return "", errors.New("coupon: no randomness for a code")
	}
	var b [GeneratedLength]byte
	for i, x := range buf {
		b[i] = alphabet[x&31] // 256 is a multiple of 32: no bias
	}
	c, _ := checkChar(string(b[:BodyLength]))
	b[BodyLength] = c
	return string(b[:]), nil
}

// Valid reports whether code, normalised, is a generated code whose check
// character holds.
func Valid(code string) bool {
	g, ok := generatedForm(Normalize(code))
	return ok && g != ""
}

// Normalize drops invalid UTF-8, folds full-width characters to ASCII,
// drops spaces and hyphens and upper-cases letters: "ｓｐｒｉｎｇ-20 " is "SPRING20".
func Normalize(code string) string {
	// Invalid UTF-8 is dropped first: folding reads a stray byte as part
	// of the character after it, so a second pass would fold what the
	// first left alone (a fuzzer's find, kept in testdata/fuzz).
	code = width.Fold.String(strings.ToValidUTF8(code, ""))
	var b strings.Builder
	b.Grow(len(code))
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// generatedForm reads a normalised code as a generated one, O as 0 and I
// and L as 1, and reports whether it has a generated code's length and
// alphabet; the form is empty when its check character fails.
func generatedForm(code string) (string, bool) {
	if len(code) != GeneratedLength {
		return "", false
	}
	b := []byte(code)
	for i, c := range b {
		switch c {
		case 'O':
			b[i] = '0'
		case 'I', 'L':
			b[i] = '1'
		}
		if value[b[i]] < 0 {
			return "", false
		}
	}
	want, _ := checkChar(string(b[:BodyLength]))
	if want != b[BodyLength] {
		return "", true
	}
	return string(b), true
}

// validChosen reports whether a normalised generic or imported code is
// acceptable: MinCodeLength to MaxCodeLength letters and digits.
func validChosen(code string) bool {
	if len(code) < MinCodeLength || len(code) > MaxCodeLength {
		return false
	}
	for i := 0; i < len(code); i++ {
		if c := code[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// Format groups a generated code in fours for printing: "7K2Q-9XMB-4TRA-H".
// Other codes come back normalised.
func Format(code string) string {
	code = Normalize(code)
	if len(code) != GeneratedLength {
		return code
	}
	return code[0:4] + "-" + code[4:8] + "-" + code[8:12] + "-" + code[12:]
}

// Mask shows a code's last four characters only, for receipts and
// explanations: "****7K2Q".
func Mask(code string) string {
	code = Normalize(code)
	if len(code) <= 4 {
		return "****"
	}
	return "****" + code[len(code)-4:]
}
