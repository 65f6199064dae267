// Package custindex keys per-customer records by customer ID for the
// single-pass summaries of segment (RFM) and metrics/clv (BG/NBD): tens of
// millions of transactions folded into a record per customer, where memory
// latency, not arithmetic, sets the speed.
//
// A Table keeps its records dense, in order of first appearance, in fixed
// chunks that never move; an open-addressing index of 8-byte slots (a
// 32-bit hash tag and the record's position) finds them. The index is
// small (16 MB at a million customers), so its misses are cheaper than a
// table of whole records at the same load; growing it rehashes 8-byte
// slots instead of moving records; and reading the result back in order
// is a sequential scan. Records and index hold no pointers
// when the record type holds none, so the garbage collector never scans
// them. A Pipeline batches lookups so their cache misses overlap.
package custindex
