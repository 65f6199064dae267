// Package redacttest checks that a package's exported types print no
// personal data: it fills every field named as personal with a marker,
// prints the value with every fmt verb and through slog's text and JSON
// handlers (a capturing handler, as a host's logger would see it), and
// fails if a marker shows. ExportedTypes lists a package's exported struct
// types from its source, so a test can insist that every one is checked.
package redacttest
