package sqlite

import (
	"context"
	"database/sql"
	"iter"
)

// pageSize is how many rows one page of a stream reads.
const pageSize = 500

// scanner reads one row.
type scanner[T any] func(*sql.Rows) (T, error)

// stream yields rows page by page with keyset pagination: each page's
// query continues after the last row of the previous one, and a page is
// read whole before any row of it is yielded, so a stream holds no
// transaction or connection while the caller works (the caller may write
// in the loop), and memory stays one page however large the range.
//
// query returns the SQL and arguments of the next page given the last row
// (nil for the first page) and the page's row limit.
func stream[T any](ctx context.Context, db *DB, query func(last *T, limit int) (string, []any), scan scanner[T]) iter.Seq2[T, error] {
	return pages(ctx, db, pageSize, query, scan)
}

// pages is stream with pages that grow: the first holds first rows, each
// next one four times as many, up to pageSize. A caller that usually stops
// after a row or two (a redemption drawing on the soonest-expiring lot)
// reads a small page, and one that reads on still takes few queries.
func pages[T any](ctx context.Context, db *DB, first int, query func(last *T, limit int) (string, []any), scan scanner[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var last *T
		for limit := first; ; limit = min(4*limit, pageSize) {
			var zero T
			if err := ctx.Err(); err != nil {
				yield(zero, err)
				return
			}
			text, args := query(last, limit)
			page, err := collect(ctx, db.rd, text, args, scan)
			if err != nil {
				if cerr := ctx.Err(); cerr != nil {
					err = cerr
				}
				yield(zero, err)
				return
			}
			for _, v := range page {
				if err := ctx.Err(); err != nil {
					yield(zero, err)
					return
				}
				if !yield(v, nil) {
					return
				}
			}
			if len(page) < limit {
				return
			}
			last = &page[len(page)-1]
		}
	}
}

// collect runs a query and scans every row.
func collect[T any](ctx context.Context, q querier, text string, args []any, scan scanner[T]) ([]T, error) {
	rows, err := q.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
