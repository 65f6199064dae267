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
	return func(yield func(T, error) bool) {
		var last *T
		for {
			sql, args := query(last)
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
			if len(page) < pageSize {
				return
			}
			last = &page[len(page)-1]
		}
	}
}
