package customer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// NameKey returns the form of a name used to match customers, never to
// display them. Two spellings of one name typed at different tills get the
// same key:
//
//   - full-width and half-width forms are folded (x/text/width) and the
//     text is NFKC-normalised, so "Ｌｉ" and "Li" agree;
//   - case is folded (x/text/cases.Fold), so "MÜLLER" and "müller" agree;
//   - runs of Unicode white space become one space, and the ends are
//     trimmed; control and format characters (zero-width spaces, joiners)
//     and invalid UTF-8 are dropped;
//   - a space between two Han characters is removed, since Chinese names
//     are written without one ("张 三" == "张三");
//   - the middle dots that separate parts of transliterated names
//     (·・•‧∙⋅⸱, and "." between two Han characters) become one canonical
//     "·" with no space around it ("约翰 · 史密斯" == "约翰·史密斯").
//
// NameKey is idempotent: NameKey(NameKey(s)) == NameKey(s).
func NameKey(name string) string {
	// Invisible characters go first: left in place they would block the
	// canonical reordering of combining marks around them, and dropping
	// them after normalising could leave text that is no longer normal.
	s := strings.Map(dropInvisible, strings.ToValidUTF8(name, ""))
	if isASCII(s) {
		s = strings.ToLower(s) // equal to case folding for ASCII
	} else {
		// Folding case can produce text NFKC changes again, and NFKC can
		// produce text case folding changes again; the loop ends when
		// neither does (twice is enough for every input we know).
		for range 4 {
			next := norm.NFKC.String(cases.Fold().String(foldText(s)))
			if next == s {
				break
			}
			s = next
		}
	}
	return nameTokens(s)
}

// dropInvisible maps control characters other than white space, and
// format characters such as zero-width spaces and joiners, to -1, which
// tells strings.Map to drop them.
func dropInvisible(r rune) rune {
	if isInvisible(r) {
		return -1
	}
	return r
}

func isInvisible(r rune) bool {
	if r < utf8.RuneSelf {
		return r < ' ' && !unicode.IsSpace(r) || r == 0x7f
	}
	return unicode.IsControl(r) && !unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}

// nameTokens applies the white space and middle dot rules of NameKey.
func nameTokens(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune // last rune written, 0 at the start
	space := false
	for i, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = prev != 0
			continue
		case isInvisible(r): // none are left unless normalising made them
			continue
		case isNameDot(r) || r == '.' && isHan(prev) && isHan(nextRune(s, i+1)):
			if prev != '·' && prev != 0 {
				b.WriteRune('·')
				prev = '·'
			}
			space = false
			continue
		}
		if space && prev != '·' && !(isHan(prev) && isHan(r)) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		prev = r
	}
	return strings.TrimSuffix(b.String(), "·")
}

// nextRune returns the first rune of s[i:] that is neither white space
// nor a control or format character, or 0.
func nextRune(s string, i int) rune {
	for _, r := range s[i:] {
		if !unicode.IsSpace(r) && !isInvisible(r) {
			return r
		}
	}
	return 0
}

// isNameDot reports the middle dots people use between the parts of a
// transliterated name.
func isNameDot(r rune) bool {
	switch r {
	case '·', // U+00B7 middle dot, the standard Chinese separator
		'\u30FB', // katakana middle dot ・
		'\u2022', // bullet •
		'\u2027', // hyphenation point ‧
		'\u2219', // bullet operator ∙
		'\u22C5', // dot operator ⋅
		'\u2E31': // word separator middle dot ⸱
		return true
	}
	return false
}

func isHan(r rune) bool {
	return r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

// foldText folds full-width and half-width forms to their canonical width
// and applies NFKC, so text typed with a Chinese or Japanese input method
// ("１３８", "ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ") reads like plain ASCII.
// ASCII text is returned as is: both steps leave it unchanged.
func foldText(s string) string {
	if isASCII(s) {
		return s
	}
	return norm.NFKC.String(width.Fold.String(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
