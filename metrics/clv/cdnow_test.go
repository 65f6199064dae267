package clv

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadCDNOWFormats(t *testing.T) {
	master := " customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n 00002 19970112  5   77.00\r\n\r\n"
	recs, err := ReadCDNOW(strings.NewReader(master))
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "1", recs[0].MasterID)
	assert.Empty(t, recs[0].SampleID)
	assert.Equal(t, time.Date(1997, 1, 1, 0, 0, 0, 0, time.UTC), recs[0].Date)
	assert.Equal(t, 1, recs[0].CDs)
	assert.True(t, dec("11.77").Equal(recs[0].Amount))
	assert.Equal(t, "2", recs[1].Transaction().CustomerID)

	sample := " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n 00021 0002 19970101  3   63.34"
	recs, err = ReadCDNOW(strings.NewReader(sample))
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, "4", recs[0].MasterID)
	assert.Equal(t, "1", recs[0].SampleID)
	assert.Equal(t, "1", recs[0].Transaction().CustomerID, "the sample ID keys the transaction")
	assert.Equal(t, "2", recs[2].Transaction().CustomerID)

	recs, err = ReadCDNOW(strings.NewReader(""))
	require.NoError(t, err)
	assert.Empty(t, recs)
}

func TestReadCDNOWRejectsMalformedLines(t *testing.T) {
	cases := []struct {
		name, in, field string
		line            int
	}{
		{"bad date", "1 19971301 1 2.00\n", "date", 1},
		{"short date", "1 1997011 1 2.00\n", "date", 1},
		{"implausible year", "1 00010101 1 2.00\n", "date", 1},
		{"negative cds", "1 19970101 -1 2.00\n", "number of CDs", 1},
		{"exponent amount", "1 19970101 1 1e999999\n", "dollar value", 1},
		{"text amount", "1 19970101 1 abc\n", "dollar value", 1},
		{"mixed layouts", "1 19970101 1 2.00\n4 1 19970101 1 2.00\n", "columns", 2},
		{"three columns", "1 19970101 1\n", "columns", 1},
		{"header not first", "1 19970101 1 2.00\nid date cds value\n", "customer id", 2},
		{"bad sample id", "1 x 19970101 1 2.00\n", "sample id", 1},
		{"huge line", "1 19970101 1 2.00\n\n" + strings.Repeat("9", 70000) + "\n", "line", 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			recs, err := ReadCDNOW(strings.NewReader(tc.in))
			require.ErrorIs(t, err, ErrSyntax)
			assert.Nil(t, recs)
			var pe *ParseError
			require.True(t, errors.As(err, &pe))
			assert.Equal(t, tc.field, pe.Field)
			assert.Equal(t, tc.line, pe.Line)
		})
	}
}

// FuzzReadCDNOW: no input panics; accepted input yields well-formed
// records that summarise without error.
func FuzzReadCDNOW(f *testing.F) {
	f.Add(" customer_id  date number_of_cds  dollar_value\r\n 00001 19970101  1   11.77\r\n")
	f.Add(" 00004 0001 19970101  2   29.33\n 00004 0001 19970802  1   14.96\n")
	f.Add("1 19970101 0 0.00\n1 19970101 0 -0.5\n")
	f.Add("1 20240229 1 .5\n")
	f.Fuzz(func(t *testing.T, in string) {
		recs, err := ReadCDNOW(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrSyntax) {
				t.Fatalf("error not ErrSyntax: %v", err)
			}
			return
		}
		for _, r := range recs {
			if r.MasterID == "" || r.Date.IsZero() || r.CDs < 0 {
				t.Fatalf("malformed record %+v", r)
			}
		}
		if len(recs) == 0 {
			return
		}
		end := recs[0].Date.AddDate(1, 0, 0)
		if _, err := Summarize(CDNOWTransactions(recs), SummaryParams{CalibrationEnd: end, Unit: Day, Location: time.UTC}); err != nil {
			t.Fatalf("summary of parsed records failed: %v", err)
		}
	})
}
