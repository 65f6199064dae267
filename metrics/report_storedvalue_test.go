package metrics

import (
	"bytes"
	"testing"

	"github.com/clientele-go/clientele/loyalty/storedvalue"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func svEntry(account string, kind storedvalue.EntryKind, at string, paid, bonus int64) storedvalue.AccountEntry {
	return storedvalue.AccountEntry{AccountID: account, Type: storedvalue.WalletAccount,
		Entry: storedvalue.Entry{Kind: kind, At: utc(at), Paid: paid, Bonus: bonus}}
}

func TestReportStoredValueSection(t *testing.T) {
	in := reportShop()
	in.StoredValue = seq(
		svEntry("w:m1", storedvalue.EntryTopUp, "2026-02-10T10:00:00Z", 100000, 10000),
		svEntry("w:m1", storedvalue.EntryPay, "2026-03-05T10:00:00Z", -20000, -2000),
		svEntry("w:m2", storedvalue.EntryTopUp, "2026-03-06T10:00:00Z", 50000, 3000),
		svEntry("w:m2", storedvalue.EntryExpire, "2026-03-20T10:00:00Z", 0, -3000),
		svEntry("w:m2", storedvalue.EntryTopUp, "2026-04-02T10:00:00Z", 50000, 0), // after the report
	)
	o := reportOptions()
	o.StoredValueCurrency = "CNY"
	r, err := BuildReport(in, o)
	require.NoError(t, err)
	require.NotNil(t, r.StoredValue)
	c := r.StoredValue.Current
	assert.Equal(t, "500", c.ToppedUp.Paid.String())
	assert.Equal(t, "1300", c.Liability.Paid.String(), "800 + 500 at the end of March")
	assert.Equal(t, "80", c.Liability.Bonus.String())
	assert.Equal(t, "1000", r.StoredValue.Previous.ToppedUp.Paid.String())
	// Bonus settled before April: 20 spent, 30 lapsed; 80 × 30/50 = 48.
	assert.Equal(t, "48", c.ExpectedBonusBreakage.String())

	for _, tc := range []struct {
		lang language.Tag
		want []string
	}{
		{language.English, []string{"Stored value", "Liability, paid (deferred revenue)", "1300.00 CNY", "bonus breakage 60.0% = lapsed / settled bonus before the end (3,000 of 5,000 minor units)"}},
		{language.SimplifiedChinese, []string{"储值", "储值负债（实收，递延收入）", "预计赠送金沉淀", "48.00 CNY"}},
	} {
		var text, page bytes.Buffer
		require.NoError(t, WriteText(&text, r, &RenderOptions{Language: tc.lang}))
		require.NoError(t, WriteHTML(&page, r, &RenderOptions{Language: tc.lang}))
		for _, w := range tc.want {
			assert.Contains(t, text.String(), w)
			assert.Contains(t, page.String(), w)
		}
		requireWellFormed(t, page.String())
	}

	// Without stored-value entries the section is left out.
	r, err = BuildReport(reportShop(), reportOptions())
	require.NoError(t, err)
	assert.Nil(t, r.StoredValue)
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, r, nil))
	assert.NotContains(t, text.String(), "Stored value")

	// A stored-value stream needs its currency.
	in.StoredValue = seq(svEntry("w:m1", storedvalue.EntryTopUp, "2026-02-10T10:00:00Z", 1, 0))
	_, err = BuildReport(in, reportOptions())
	require.ErrorIs(t, err, ErrCurrency)
}

func TestStoredValueLabelsAreInTheCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range reportMessages {
		seen[m[0]] = true
	}
	for _, l := range storedValueLines {
		assert.True(t, seen[l.label], l.label)
	}
	assert.True(t, seen["Stored value"])
}
