// Package textcheck holds the two rules every package applies to text it
// takes in: one-line values (IDs, SKUs, names, tags, store codes) and free
// text (notes, descriptions, summaries, addresses).
//
// Both must be valid UTF-8 within a byte limit, so a replay never comes
// back different (encoding/json turns invalid bytes into U+FFFD) and one
// bad import cannot fill a store. Neither may hold a NUL byte or other
// control characters, which many databases refuse or cut off and which
// make two values that print alike compare different; free text keeps
// tab, line feed and carriage return.
package textcheck
