package metrics

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/clientele-go/clientele/loyalty/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// March 2026 in the report shop: a card running since January (a), a
// card sold (b), a renewal of a bought while a runs (c), a card sold and
// refunded within the month (d), and a February card refunded in March
// (e).
func membershipTerms() []membership.Term {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }
	return []membership.Term{
		{MemberID: "m1", ID: "a", Currency: "CNY", FeeMinor: 36500, PaidAt: day(2026, 1, 1), Start: day(2026, 1, 1), End: day(2027, 1, 1)},
		{MemberID: "m1", ID: "c", Currency: "CNY", FeeMinor: 36500, PaidAt: day(2026, 3, 20), Start: day(2027, 1, 1), End: day(2028, 1, 1)},
		{MemberID: "m2", ID: "b", Currency: "CNY", FeeMinor: 12000, PaidAt: day(2026, 3, 5), Start: day(2026, 3, 5), End: day(2027, 3, 5)},
		{MemberID: "m3", ID: "d", Currency: "CNY", FeeMinor: 12000, PaidAt: day(2026, 3, 10), Start: day(2026, 3, 10), End: day(2027, 3, 10),
			RefundID: "rd", RefundedAt: day(2026, 3, 15), RefundMinor: 12000},
		{MemberID: "m4", ID: "e", Currency: "CNY", FeeMinor: 12000, PaidAt: day(2026, 2, 10), Start: day(2026, 2, 10), End: day(2027, 2, 10),
			RefundID: "re", RefundedAt: day(2026, 3, 2), RefundMinor: 10000},
	}
}

func TestReportMembershipSectionAndChart(t *testing.T) {
	in := reportShop()
	in.Memberships = seqOf(membershipTerms())
	r, err := BuildReport(in, reportOptions())
	require.NoError(t, err)
	m := r.Membership
	require.NotNil(t, m)
	assert.Equal(t, 2, m.Sold, "b and d")
	assert.Equal(t, 1, m.Renewals, "c starts when a ends")
	assert.Equal(t, 2, m.Refunds, "d and e, refunded in March")
	assert.True(t, m.DeferredEnd.Equal(m.DeferredStart.Add(m.Received).Sub(m.Refunded).Sub(m.Recognised)), "the waterfall closes")

	v := newView(r, nil)
	require.True(t, v.Deferral.Present)
	require.Len(t, v.Deferral.Bars, 5)
	// The last bar, deferred revenue at the end, ends where the running
	// total after the moves ends.
	moves := v.Deferral.Bars[3]
	end := v.Deferral.Bars[4]
	assert.InDelta(t, moves.X, end.X+end.W, 0.2)
	assert.Contains(t, end.Title, m.DeferredEnd.StringFixed(2)+" CNY")

	var html bytes.Buffer
	require.NoError(t, WriteHTML(&html, r, &RenderOptions{Language: language.SimplifiedChinese}))
	page := html.String()
	for _, want := range []string{"售出会员卡", "续费", "退款", "付费会员：递延收入由期初到期末的变动", "期末递延收入"} {
		assert.Contains(t, page, want)
	}
	dec := xml.NewDecoder(strings.NewReader(page[strings.Index(page, "<html"):]))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the page stays well-formed XML")
	}
	html.Reset()
	require.NoError(t, WriteHTML(&html, r, nil))
	assert.Contains(t, html.String(), "Cards sold")
	assert.Contains(t, html.String(), "Paid membership: deferred revenue")

	// Without memberships, neither section nor chart.
	in.Memberships = nil
	r, err = BuildReport(in, reportOptions())
	require.NoError(t, err)
	html.Reset()
	require.NoError(t, WriteHTML(&html, r, nil))
	assert.NotContains(t, html.String(), "Paid membership")
}
