package postgres

import (
	"fmt"
	"strings"
	"sync"

	"github.com/clientele-go/clientele/loyalty"
	"github.com/clientele-go/clientele/loyalty/ledger"
)

// saveShape is what one Save writes, as far as its statement's text
// depends on it: a new account or a later version, an operation record
// or none, and none, one or many entries, lots and records. A part with
// no rows leaves its step out; a part with one row passes it as plain
// parameters; only a part with several travels as arrays to unnest. An
// earn writes one entry, one lot and a record or two: as arrays, the
// client encoded and the server decoded eighteen one-element arrays and
// ran a function scan per part for it.
//
// newLots and newRecs say every lot or every record is taken to be new,
// so they are inserted without ON CONFLICT: an upsert first probes the
// key for a conflict and inserts speculatively, work an earn's new lot
// and new activity fact do not need (lotsAreNew, recordsAreNew). Save
// falls back to the upsert when a key is taken after all.
type saveShape struct {
	insert, op, journal, newLots, newRecs bool
	entries, lots, recs                   rowCount
}

// rowCount is how many rows a part of a Save writes: none, one or many.
type rowCount uint8

const (
	noRows rowCount = iota
	oneRow
	manyRows
)

func countOf(n int) rowCount {
	switch n {
	case 0:
		return noRows
	case 1:
		return oneRow
	}
	return manyRows
}

// saveStatements holds the statement of every shape built so far: there
// are at most 2×2×2×2×2×3×3×3 of them, and pgx prepares each once per
// connection.
var saveStatements sync.Map // saveShape → string

// statement returns the Save statement of the shape. Its parameters are
// $1–$4 for the account (member, version, header, state), then the change
// journal's row (loyalty.EncodeChange), the operation's four, and the
// entries', lots' and records' columns, each part's present only if the
// shape has it, in that order (saveArgs).
func (sh saveShape) statement() string {
	if s, ok := saveStatements.Load(sh); ok {
		return s.(string)
	}
	var b strings.Builder
	n := 4
	next := func(cast string) string { n++; return fmt.Sprintf("$%d::%s", n, cast) }
	if sh.insert {
		b.WriteString(`WITH acct AS (
	INSERT INTO loyalty_accounts (member_id, version, header, state) VALUES ($1, $2, $3, $4) RETURNING member_id)`)
	} else {
		b.WriteString(`WITH acct AS (
	UPDATE loyalty_accounts SET version = $2, header = $3, state = $4 WHERE member_id = $1 AND version = $2 - 1 RETURNING member_id)`)
	}
	// The journal's row is written for the account row the first step
	// wrote, like every other step: a stale version journals nothing, and
	// a reused operation key rolls it back with the rest.
	if sh.journal {
		fmt.Fprintf(&b, `,
changes AS (
	INSERT INTO loyalty_changes (member_id, version, change) SELECT acct.member_id, $2, %s FROM acct)`, next("bytea"))
	}
	if sh.op {
		fmt.Fprintf(&b, `,
op AS (
	INSERT INTO loyalty_operations (key, member_id, hash, result)
	SELECT %s, %s, %s, %s FROM acct)`, next("text"), next("text"), next("text"), next("bytea"))
	}
	// from returns the source of a part's rows: the parameters of one
	// row, or the arrays of many unnested as alias with the columns.
	from := func(count rowCount, alias string, cols []string, types []string) (string, []string) {
		vals := make([]string, len(cols))
		if count == oneRow {
			for i := range cols {
				vals[i] = next(types[i])
			}
			return "acct", vals
		}
		arrays := make([]string, len(cols))
		for i := range cols {
			arrays[i] = next(types[i] + "[]")
			vals[i] = alias + "." + cols[i]
		}
		return fmt.Sprintf("acct, unnest(%s) AS %s (%s)", strings.Join(arrays, ", "), alias, strings.Join(cols, ", ")), vals
	}
	if sh.entries != noRows {
		src, v := from(sh.entries, "e", []string{"s", "d"}, []string{"bigint", "bytea"})
		fmt.Fprintf(&b, `,
entries AS (
	INSERT INTO loyalty_entries (member_id, seq, doc)
	SELECT acct.member_id, %s FROM %s)`, strings.Join(v, ", "), src)
	}
	if sh.lots != noRows {
		src, v := from(sh.lots, "l", []string{"id", "ee", "o", "src", "a", "r", "h", "ea", "pu", "rel", "ex", "la", "lat"},
			[]string{"text", "text", "text", "text", "bigint", "bigint", "bigint", "timestamptz", "timestamptz", "boolean", "timestamptz", "bigint", "timestamptz"})
		// Zero times travel as Go's zero time; no expiry and no lapse
		// are stored as NULL.
		v[10] = fmt.Sprintf("NULLIF(%s, '0001-01-01 00:00:00+00'::timestamptz)", v[10])
		v[12] = fmt.Sprintf("NULLIF(%s, '0001-01-01 00:00:00+00'::timestamptz)", v[12])
		upsert := `
	ON CONFLICT (member_id, lot_id) DO UPDATE SET earn_entry = excluded.earn_entry, origin = excluded.origin,
		source = excluded.source, amount = excluded.amount, remaining = excluded.remaining, held = excluded.held,
		earned_at = excluded.earned_at, pending_until = excluded.pending_until, released = excluded.released,
		expires_at = excluded.expires_at, lapsed = excluded.lapsed, lapsed_at = excluded.lapsed_at`
		if sh.newLots {
			upsert = ""
		}
		fmt.Fprintf(&b, `,
lots AS (
	INSERT INTO loyalty_lots (member_id, lot_id, earn_entry, origin, source, amount, remaining, held,
		earned_at, pending_until, released, expires_at, lapsed, lapsed_at)
	SELECT acct.member_id, %s
	FROM %s%s)`, strings.Join(v, ", "), src, upsert)
	}
	if sh.recs != noRows {
		src, v := from(sh.recs, "r", []string{"k", "key", "d"}, []string{"text", "text", "bytea"})
		upsert := `
	ON CONFLICT (member_id, kind, key) DO UPDATE SET data = excluded.data`
		if sh.newRecs {
			upsert = ""
		}
		fmt.Fprintf(&b, `,
recs AS (
	INSERT INTO loyalty_records (member_id, kind, key, data)
	SELECT acct.member_id, %s FROM %s%s)`, strings.Join(v, ", "), src, upsert)
	}
	// The account's row, if the compare-and-set wrote one: no row is a
	// stale version. (An aggregate here, count(*), cost the executor an
	// Agg node to set up on every save; the other steps return nothing,
	// as a data-modifying WITH runs whether or not anything reads it.)
	b.WriteString(`
SELECT 1 FROM acct`)
	s, _ := saveStatements.LoadOrStore(sh, b.String())
	return s.(string)
}

// saveArgs appends to args the parameters of a part as its shape wants
// them: nothing for none, one row's values for one, the columns for many
// (each built only if needed: boxing thirteen column slices is a dozen
// allocations an earn's single lot does not need).
func saveArgs(args []any, count rowCount, one, many func() []any) []any {
	switch count {
	case oneRow:
		return append(args, one()...)
	case manyRows:
		return append(args, many()...)
	}
	return args
}

// lotParams returns a lot as one row's parameters, as lotColumns would
// give them, each a pointer into l: a pointer goes into an interface
// without an allocation, a string, number or time does not.
func lotParams(l *ledger.Lot) []any {
	return []any{&l.ID, &l.EarnEntry, (*string)(&l.Origin), &l.Source, &l.Amount, &l.Remaining, &l.Held,
		&l.EarnedAt, &l.PendingUntil, &l.Released, &l.ExpiresAt, &l.Lapsed, &l.LapsedAt}
}

// lotRow returns the i-th lot of c as one row's parameters.
func (c lotArrays) lotRow(i int) []any {
	return []any{c.ids[i], c.earnEntries[i], c.origins[i], c.sources[i], c.amounts[i], c.remaining[i], c.held[i],
		c.earnedAt[i], c.pendingUntil[i], c.released[i], c.expiresAt[i], c.lapsed[i], c.lapsedAt[i]}
}

// columnArgs returns c's columns as many rows' parameters.
func (c lotArrays) columnArgs() []any {
	return []any{c.ids, c.earnEntries, c.origins, c.sources, c.amounts, c.remaining, c.held,
		c.earnedAt, c.pendingUntil, c.released, c.expiresAt, c.lapsed, c.lapsedAt}
}

// recordsAreNew reports whether a write's records are all qualifying
// activity facts (loyalty.RecordActivity), which the service appends: a
// day's summary numbers its facts on from its count, so a fact's key is
// new but for a re-quote rewriting one. Every tiered earn writes one.
func recordsAreNew(recs []loyalty.Record) bool {
	for _, r := range recs {
		if r.Kind != loyalty.RecordActivity {
			return false
		}
	}
	return len(recs) > 0
}

// lotsAreNew reports whether every lot of a write is created by it: its
// earn entry is among the write's entries. An entry is written once (its
// sequence number is the entries' key), so a lot it created cannot be
// stored yet. Save still falls back to the upsert if the insert finds the
// key taken, so the contract (a lot replaces the one with its ID) holds
// whatever the entries name.
func lotsAreNew(lots []ledger.Lot, entries []ledger.Entry) bool {
	if len(lots) == 0 || len(entries) == 0 {
		return false
	}
	created := func(id string) bool {
		for _, e := range entries {
			if e.ID == id {
				return true
			}
		}
		return false
	}
	if len(entries) > 4 {
		ids := make(map[string]bool, len(entries))
		for _, e := range entries {
			ids[e.ID] = true
		}
		created = func(id string) bool { return ids[id] }
	}
	for _, l := range lots {
		if l.EarnEntry == "" || !created(l.EarnEntry) {
			return false
		}
	}
	return true
}
