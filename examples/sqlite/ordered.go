package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
)

// keyed is a document with the keyset columns its listing pages by.
type keyed[T any] struct {
	v  T
	at sql.NullInt64
	id string
}

// newestFirstPage is the first page of a newest-first listing: its
// readers usually stop early (a referral binding reads a friend's
// purchases back to the binding), so the pages start small and grow.
const newestFirstPage = 8

// ordered streams the JSON documents of table matching filter, ordered by
// (col, id), ascending or descending: col is an integer time column, or
// "" to order by ID alone. filter uses ? placeholders for args.
func ordered[T any](ctx context.Context, db *DB, table, col, filter string, desc bool, args ...any) iter.Seq2[T, error] {
	order, cmp, first := "ASC", ">", pageSize
	if desc {
		order, cmp, first = "DESC", "<", newestFirstPage
	}
	sel, by := "NULL", "id "+order
	if col != "" {
		sel, by = col, fmt.Sprintf("%s %s, id %s", col, order, order)
	}
	rows := pages(ctx, db, first, func(last *keyed[T], limit int) (string, []any) {
		a := append([]any(nil), args...)
		where := filter
		if last != nil {
			if col != "" {
				a = append(a, last.at, last.id)
				where += fmt.Sprintf(` AND (%s, id) %s (?, ?)`, col, cmp)
			} else {
				a = append(a, last.id)
				where += fmt.Sprintf(` AND id %s ?`, cmp)
			}
		}
		return fmt.Sprintf(`SELECT doc, %s, id FROM %s WHERE %s ORDER BY %s LIMIT %d`, sel, table, where, by, limit), a
	}, func(rows *sql.Rows) (keyed[T], error) {
		var doc string
		var k keyed[T]
		if err := rows.Scan(&doc, &k.at, &k.id); err != nil {
			return k, err
		}
		return k, json.Unmarshal([]byte(doc), &k.v)
	})
	return func(yield func(T, error) bool) {
		for k, err := range rows {
			if !yield(k.v, err) || err != nil {
				return
			}
		}
	}
}

// getDoc reads the JSON document of the one row query finds into v; ok is
// false when there is none.
func getDoc(ctx context.Context, q querier, v any, query string, args ...any) (ok bool, err error) {
	var doc string
	err = q.QueryRowContext(ctx, query, args...).Scan(&doc)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(doc), v)
}

// marshal is json.Marshal as the text a doc column keeps.
func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
