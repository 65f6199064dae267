package receipt

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// cells is how many terminal or printer columns s takes: two for East
// Asian wide and full-width characters, none for combining marks and
// control characters, one for the rest (ambiguous ones included, as
// receipt printers in their narrow mode do).
func cells(s string) int {
	n := 0
	for _, r := range s {
		n += runeCells(r)
	}
	return n
}

func runeCells(r rune) int {
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.IsControl(r):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// fit cuts s to at most n cells, never splitting a wide character, and
// pads it with spaces to exactly n.
func fit(s string, n int) string {
	var b strings.Builder
	used := 0
	for _, r := range s {
		c := runeCells(r)
		if used+c > n {
			break
		}
		b.WriteRune(r)
		used += c
	}
	b.WriteString(strings.Repeat(" ", n-used))
	return b.String()
}

// right pads s on the left to n cells (s is never cut: amounts must show
// whole).
func right(s string, n int) string {
	if c := cells(s); c < n {
		return strings.Repeat(" ", n-c) + s
	}
	return s
}

// row puts left and right on one line of w cells, cutting left if the two
// do not fit.
func row(left, rightText string, w int) string {
	r := cells(rightText)
	if r >= w {
		return rightText
	}
	return fit(left, w-r-1) + " " + rightText
}
