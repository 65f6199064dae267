// Package sqlite is a storage adapter for clientele on SQLite, in pure Go
// (modernc.org/sqlite, no cgo): the customer, loyalty, feedback,
// stored-value and coupon stores in one database file, for a checkout
// lane that must keep its data through restarts, crashes and days
// offline.
//
// The file is in WAL mode with synchronous=FULL by default, so a commit
// that returned survives a crash or power loss. Writes go through one
// connection in BEGIN IMMEDIATE transactions; reads use a pool of their
// own and never wait for a writer. Times are integer microseconds since
// the Unix epoch in UTC (a zero time is NULL where zero means "none"),
// bytes are BLOBs, and text compares in byte order (SQLite's BINARY
// collation), as Go compares strings. The schema is embedded and
// migrated in order by Open.
package sqlite
