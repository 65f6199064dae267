// Package redact is how types that hold personal data print: one short
// description for every fmt verb and for slog, so no verb (%d and %x
// included, which fmt would otherwise apply field by field) and no slog
// handler shows a name, a phone number, an address or a note.
//
// slog resolves a LogValuer only where it is the value of an attribute:
// the JSON handler encodes a slice or a struct field with encoding/json,
// which knows nothing of LogValue. So every type that holds such a value
// (an export, a change, a list) has a LogValue of its own, and callers log
// lists element by element.
package redact
