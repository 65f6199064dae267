// Package daterange holds the one range of calendar dates the library
// accepts wherever a date or time enters it: registration dates,
// birthdays, purchase, return and interaction times, consent changes.
//
// The bounds are wide enough for any real record and narrow enough that
// every later operation on an accepted date still works:
//
//   - MinYear 1850 admits the placeholders legacy POS data is full of
//     (1900-01-01, 1901-01-01) and every living person's birth year.
//   - MaxYear 2199 keeps every accepted time, plus any period a
//     programme or policy adds to it (expiry years, SLA deadlines), far
//     inside the years encoding/json can write (RFC 3339 allows four
//     digits, so a time in year 10000 makes a whole Export impossible to
//     encode) and inside what PostgreSQL's timestamptz stores.
//
// Feedback's bound on timestamps from the future lives in
// internal/clockskew; this package bounds the calendar, not the clock.
package daterange
