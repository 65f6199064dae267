package postgres

import (
	"context"
	"iter"

	"github.com/jackc/pgx/v5"
)

// pageSize is how many rows one round trip of a stream fetches.
const pageSize = 500

// stream yields rows page by page with keyset pagination: each page's
// query continues after the last row of the previous one, so a stream
// holds no transaction or server-side cursor open while the caller works,
// and memory stays one page however large the range.
//
// query returns the SQL and arguments of the next page given the last row
// (nil for the first page); scan reads one row.
func stream[T any](ctx context.Context, db *DB, query func(last *T) (string, []any), scan pgx.RowToFunc[T]) iter.Seq2[T, error] {
	return pages(ctx, db, pageSize, func(last *T, _ int) (string, []any) { return query(last) }, scan)
}

// pages is stream with pages that grow: the first holds first rows, each
// next one four times as many, up to pageSize. A caller that usually stops
// after a row or two (a redemption drawing on the soonest-expiring lot)
// reads a small page, and one that reads on still takes few round trips.
// query gets the page's row limit to put in its SQL.
func pages[T any](ctx context.Context, db *DB, first int, query func(last *T, limit int) (string, []any), scan pgx.RowToFunc[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var last *T
		for limit := first; ; limit = min(4*limit, pageSize) {
			sql, args := query(last, limit)
			rows, err := db.pool.Query(ctx, sql, args...)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			page, err := pgx.CollectRows(rows, scan)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, v := range page {
				if err := ctx.Err(); err != nil {
					var zero T
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
