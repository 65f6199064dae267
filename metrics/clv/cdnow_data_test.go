package clv

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// cdnowDir is the shared CDNOW data directory, relative to this package.
const cdnowDir = "../../../shared/data/cdnow"

// cdnowFile returns the path of a CDNOW file, skipping the test when the
// data directory is absent (the data set is not part of the module).
func cdnowFile(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(cdnowDir, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("CDNOW data not found at %s (expected /work/shared/data/cdnow relative to the package): %v", p, err)
	}
	return p
}

// cdnowRow is one row of the CDNOW summary files.
type cdnowRow struct {
	id        string
	x         int
	tx, T, zb float64
}

// readCDNOWSummary reads cdnow_customers_summary.csv (ID,frequency,recency,T)
// or the _with_transactions variant (ID,x,t_x,T,zbar).
func readCDNOWSummary(t testing.TB, name string) []cdnowRow {
	t.Helper()
	f, err := os.Open(cdnowFile(t, name))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Greater(t, len(recs), 1)
	rows := make([]cdnowRow, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		x, err := strconv.Atoi(rec[1])
		require.NoError(t, err)
		r := cdnowRow{id: rec[0], x: x}
		r.tx, err = strconv.ParseFloat(rec[2], 64)
		require.NoError(t, err)
		r.T, err = strconv.ParseFloat(rec[3], 64)
		require.NoError(t, err)
		if len(rec) > 4 {
			r.zb, err = strconv.ParseFloat(rec[4], 64)
			require.NoError(t, err)
		}
		rows = append(rows, r)
	}
	return rows
}

func cdnowSummaries(rows []cdnowRow) Summaries {
	s := Summaries{Unit: Week, Customers: make([]Summary, len(rows))}
	for i, r := range rows {
		s.Customers[i] = Summary{CustomerID: r.id, Frequency: r.x, Recency: r.tx, T: r.T, Monetary: r.zb}
	}
	return s
}
