package metrics

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/clientele-go/clientele/customer"
	"github.com/stretchr/testify/require"
)

// FuzzWriteHTMLEscapes feeds store and staff codes of any shape to the
// page: it must stay well-formed XML with the same elements as for a
// plain code (the codes are text, never markup), and the text report must
// show the codes as they are.
func FuzzWriteHTMLEscapes(f *testing.F) {
	for _, s := range []string{"S9", `<b>"x"&'y'`, "</svg><script>alert(1)</script>", "门店 & 店员", "]]>", "{{.Title}}", "%d%s"} {
		f.Add(s)
	}
	plain := countElements(f, renderWithStore(f, "plain", false))
	f.Fuzz(func(t *testing.T, code string) {
		if code == "" || code == "S1" || !utf8.ValidString(code) || strings.IndexFunc(code, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
			t.Skip("empty, taken, or unprintable: XML has no form for control characters")
		}
		require.Equal(t, plain, countElements(t, renderWithStore(t, code, false)))
		require.Contains(t, renderWithStore(t, code, true), code)
	})
}

// renderWithStore renders the worked-example shop with store S2 and its
// staff renamed to code (purchases only, so both names appear).
func renderWithStore(t testing.TB, code string, text bool) string {
	t.Helper()
	in := reportShop()
	var ps []customer.Purchase
	for p, err := range in.Purchases {
		require.NoError(t, err)
		if p.Store == "S2" {
			p.Store, p.Staff = code, code+"-staff"
		}
		ps = append(ps, p)
	}
	in.Purchases = seq(ps...)
	r, err := BuildReport(in, reportOptions())
	require.NoError(t, err)
	var b bytes.Buffer
	if text {
		require.NoError(t, WriteText(&b, r, nil))
	} else {
		require.NoError(t, WriteHTML(&b, r, nil))
	}
	return b.String()
}

// countElements parses the page as XML, so it must be well-formed, and
// counts its elements.
func countElements(t testing.TB, page string) int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	n := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return n
		}
		require.NoError(t, err)
		if _, ok := tok.(xml.StartElement); ok {
			n++
		}
	}
}
