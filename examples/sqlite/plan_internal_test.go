package sqlite

import (
	"strings"
	"testing"
)

// queryPlan is a statement a store reads with and the index search its
// plan must make.
type queryPlan struct {
	name, query string
	args        []any
	search      string // the end of the SEARCH line: the index and its constraints
}

// pagePlan is the queryPlan of the page query q builds.
func pagePlan(name string, q func() (string, []any), search string) queryPlan {
	text, args := q()
	return queryPlan{name, text, args, search}
}

// checkPlans asks SQLite how it runs each statement (EXPLAIN QUERY PLAN)
// and fails a subtest named after it unless the plan searches with the
// expected index and constraints and never scans a table or a whole
// index nor sorts in a temporary B-tree.
func checkPlans(t *testing.T, db *DB, plans []queryPlan) {
	t.Helper()
	for _, p := range plans {
		t.Run(p.name, func(t *testing.T) {
			rows, err := db.r.QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+p.query, p.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var details []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				details = append(details, detail)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %q", p.name, details)
			searched := false
			for _, d := range details {
				if strings.HasPrefix(d, "SCAN") || strings.Contains(d, "TEMP B-TREE") {
					t.Errorf("%s: %q scans or sorts", p.name, d)
				}
				searched = searched || strings.HasPrefix(d, "SEARCH ") && strings.HasSuffix(d, p.search)
			}
			if !searched {
				t.Errorf("%s: plan %q does not search %s", p.name, details, p.search)
			}
		})
	}
}
