// Package txnfile reads the purchase files retailers export (CSV, TSV or
// any one-byte delimiter, with a header row) into the compact columns that
// segment's RFM pass and metrics/clv's transaction summary take, without
// encoding/csv, time.Parse or a decimal per row.
//
// Columns are found by header name, so a file's other columns and their
// order do not matter. Each row yields a customer ID (bytes into the
// reader's buffer: no string per row), a calendar day and an amount:
//
//   - Dates are read as written, as day numbers (days since 1970-01-01 of
//     the written calendar date): year-month-day by default, or day-month-
//     year or month-day-year, with '-', '/' or '.' between the parts. A
//     time of day after the date (" 13:45", "T13:45:07.5Z", "+08:00") is
//     checked and dropped: the analyses count days, and the date a till
//     printed is the shop's local date.
//   - Amounts are exact integers of minor units at Format.Places decimals
//     (cents at 2). A finer amount is refused unless its extra digits are
//     zeros; nothing is rounded. A leading '-' marks a refund or negative
//     line as the consumer defines it.
//
// A bad row is a *RowError that names the line and the column (never the
// value, which may be personal data) and matches ErrSyntax with errors.Is.
// Format.BadRows states the policy of ReadTable: refuse the file at the
// first bad row (the default) or skip bad rows and count them.
//
// Table is the compact resident form: customers interned to dense int32
// indices in order of first appearance, with one int32 customer, one int32
// day and one int64 amount per transaction (16 bytes, plus each
// customer's ID and a 16-byte index slot or two once). ReadTable reads a
// stream; ReadTableAt reads a file on several goroutines and returns
// exactly what ReadTable would. FoldAt reads a file the same way but hands
// the rows to a Folder per piece instead of keeping them, for consumers
// that fold rows into per-customer totals (segment.SummarizeFile). DayOf
// and Date convert day numbers.
package txnfile
