// Package jsonappend appends JSON values exactly as encoding/json encodes
// them, for the few hand-written encoders on hot paths (an earn's quote, a
// stored-value payment's record and result): appending into one buffer
// skips the reflection and the second scan json.Marshal makes. Each
// caller's encoder is tested against json.Marshal.
package jsonappend
