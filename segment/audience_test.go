package segment_test

import (
	"testing"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/segment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func granted(purpose customer.Purpose, ch customer.ContactChannel, at time.Time, more ...customer.ConsentChange) customer.Consent {
	return customer.Consent{Purpose: purpose, Channel: ch, History: append([]customer.ConsentChange{{Granted: true, At: at}}, more...)}
}

func TestBirthdayAudienceLeapDayTimeZoneAndConsent(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	joined := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	sms := granted(customer.PurposeMarketing, customer.ContactSMS, joined)
	feb := customer.Birthday{Month: time.February, Day: 14}
	fs := []segment.Facts{
		{CustomerID: "leap", Known: true, Birthday: customer.Birthday{Year: 1992, Month: time.February, Day: 29}, Consents: []customer.Consent{sms}},
		{CustomerID: "feb", Known: true, Birthday: feb, Consents: []customer.Consent{sms}},
		{CustomerID: "jan", Known: true, Birthday: customer.Birthday{Month: time.January, Day: 31}, Consents: []customer.Consent{sms}},
		{CustomerID: "no-consent", Known: true, Birthday: feb},
		{CustomerID: "withdrawn", Known: true, Birthday: feb, Consents: []customer.Consent{
			granted(customer.PurposeMarketing, customer.ContactSMS, joined, customer.ConsentChange{Granted: false, At: joined.AddDate(1, 0, 0)})}},
		{CustomerID: "email-only", Known: true, Birthday: feb, Consents: []customer.Consent{granted(customer.PurposeMarketing, customer.ContactEmail, joined)}},
		{CustomerID: "any-channel", Known: true, Birthday: feb, Consents: []customer.Consent{granted(customer.PurposeMarketing, customer.ContactAny, joined)}},
		{CustomerID: "erased", Known: true, Birthday: feb, Consents: []customer.Consent{sms}, ErasedAt: joined},
		{CustomerID: "merged", Known: true, Birthday: feb, Consents: []customer.Consent{sms}, MergedInto: "feb"},
	}
	// 20:00 UTC on 31 January 2025 is already 1 February in Shanghai;
	// 2025 is a common year, so 29 February is observed on the 28th.
	at := time.Date(2025, 1, 31, 20, 0, 0, 0, time.UTC)
	aud := segment.BirthdayThisMonth(customer.ContactSMS)
	got, st, err := aud.Select(segment.All(fs), at, &segment.EvalOptions{Location: shanghai})
	require.NoError(t, err)
	assert.Equal(t, []string{"any-channel", "feb", "leap"}, got.IDs())
	assert.Equal(t, segment.AudienceStats{Matched: 8, NoConsent: 5, Selected: 3}, st)

	got, _, err = aud.Select(segment.All(fs), at, nil) // UTC: still January
	require.NoError(t, err)
	assert.Equal(t, []string{"jan"}, got.IDs())
}

func TestBirthdayWithinLeapDay(t *testing.T) {
	f := &segment.Facts{CustomerID: "leap", Known: true, Birthday: customer.Birthday{Month: time.February, Day: 29}}
	m, err := segment.Rule{Version: 1, Root: segment.BirthdayWithin{Days: 0}}.Compile(time.Date(2025, 2, 28, 9, 0, 0, 0, time.UTC), nil)
	require.NoError(t, err)
	assert.True(t, m.Match(f), "observed on 28 February in a common year")
	m, err = segment.Rule{Version: 1, Root: segment.BirthdayWithin{Days: 0}}.Compile(time.Date(2024, 2, 28, 9, 0, 0, 0, time.UTC), nil)
	require.NoError(t, err)
	assert.False(t, m.Match(f), "in a leap year it is the 29th")
	assert.Equal(t, "[ ] birthday within 0 days: birthday in 1 days", m.Explain(f).String())
	m, err = segment.Rule{Version: 1, Root: segment.BirthdayWithin{Days: 3}}.Compile(time.Date(2024, 12, 30, 9, 0, 0, 0, time.UTC), nil)
	require.NoError(t, err)
	assert.True(t, m.Match(&segment.Facts{Known: true, Birthday: customer.Birthday{Month: time.January, Day: 2}}), "wraps into next year")
}

func TestWinBackAndPointsAudiences(t *testing.T) {
	joined := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	wechat := granted(customer.PurposeMarketing, customer.ContactWeChat, joined)
	service := granted(customer.PurposeService, customer.ContactWeChat, joined)
	risky := history(1, 120, 120)
	risky.CustomerID, risky.Consents = "risky", []customer.Consent{wechat, service}
	risky.Loyalty = segment.LoyaltyFacts{Member: true, Points: 800, Expiring: []segment.ExpiringPoints{{At: asOf.AddDate(0, 0, 29), Points: 500}}}
	fresh := history(2, 50, 5)
	fresh.CustomerID, fresh.Consents = "fresh", []customer.Consent{wechat}
	fresh.Loyalty = segment.LoyaltyFacts{Member: true, Points: 800, Expiring: []segment.ExpiringPoints{{At: asOf.AddDate(0, 0, 10), Points: 800}}}
	fs := []segment.Facts{*fresh, *risky}

	got, _, err := segment.WinBack(customer.ContactWeChat).Select(segment.All(fs), asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"risky"}, got.IDs())

	got, st, err := segment.PointsExpiringSoon(customer.ContactWeChat, 100).Select(segment.All(fs), asOf, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"risky"}, got.IDs(), "fresh has no service consent")
	assert.Equal(t, 2, st.Matched)

	bad := segment.Audience{Rule: segment.Rule{Version: 1, Root: segment.Tier{}}}
	_, _, err = bad.Select(segment.All(fs), asOf, nil)
	require.Error(t, err)
	for _, want := range []string{"audience.purpose", "audience.channel", "rule.tier.in"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestKMeansSeparatesGroupsDeterministically(t *testing.T) {
	var res []segment.RFMResult
	add := func(n int, rec, freq, mon int64) {
		for i := range n {
			res = append(res, segment.RFMResult{CustomerID: "c", RecencyDays: rec + int64(i%3), Frequency: freq + int64(i%2), Monetary: mon + int64(i%5)*100,
				Score: segment.RFMScore{R: 1, F: 1, M: 1}})
		}
	}
	add(50, 5, 20, 500000) // recent, frequent, high spend
	add(80, 300, 1, 2000)  // long inactive, rare, low spend
	add(60, 60, 5, 40000)  // in between
	res = append(res, segment.RFMResult{CustomerID: "prospect"})
	rep, err := segment.KMeans(res, &segment.ClusterConfig{K: 3, Seed: 42})
	require.NoError(t, err)
	assert.True(t, rep.Converged)
	require.Len(t, rep.Clusters, 3)
	assert.Equal(t, []int{50, 60, 80}, []int{rep.Clusters[0].Size, rep.Clusters[1].Size, rep.Clusters[2].Size}, "sorted by spend")
	for i := range 190 {
		want := 0
		switch {
		case i >= 130:
			want = 1
		case i >= 50:
			want = 2
		}
		require.Equal(t, want, rep.Assign[i], "customer %d", i)
	}
	assert.Equal(t, -1, rep.Assign[190])
	assert.Equal(t, "recent (6 days), frequent (20.5 purchases), high spend (5002.00)", rep.Clusters[0].Description)
	assert.Contains(t, rep.Clusters[2].Description, "long inactive")
	assert.True(t, rep.Clusters[0].Monetary.Equal(dec("5002")))

	again, err := segment.KMeans(res, &segment.ClusterConfig{K: 3, Seed: 42})
	require.NoError(t, err)
	assert.Equal(t, rep.Assign, again.Assign)
	assert.Equal(t, rep.Inertia, again.Inertia)

	_, err = segment.KMeans(res[:2], &segment.ClusterConfig{K: 3})
	assert.ErrorIs(t, err, segment.ErrInvalid)
	_, err = segment.KMeans(res, &segment.ClusterConfig{K: 1})
	assert.ErrorIs(t, err, segment.ErrInvalid)
}
