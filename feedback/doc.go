// Package feedback keeps what customers tell a shop: survey responses
// (NPS, CSAT, CES, star ratings and comments), product reviews with
// moderation, complaints handled under service-level agreements, and the
// follow-up visits (回访) that close the loop.
//
// # Complaints and the SLA clock
//
// A complaint moves through the ISO 10002-style flow received →
// acknowledged → investigating → resolved → closed, and may be reopened
// from resolved or closed back to investigating. Every transition records
// its actor, time and note; an action the current state does not allow
// fails with a *TransitionError matching ErrIllegalTransition.
//
// Deadlines are fixed at intake from an SLAPolicy: first-response and
// resolution targets per priority in business time, counted on a Calendar
// of weekly opening hours, holidays and special days in the shop's time
// zone. While the shop waits on the customer the clock stops, and the
// resolution deadline moves out by the business time the pause covered.
// Calendar arithmetic is pure (see Calendar.Add, Calendar.Between and
// Calendar.Deadline).
//
// # Storage
//
// The host owns persistence: a Service works over a Store, whose every
// method is documented with must and should; NewMemoryStore is the
// embedded default, and feedbacktest.Run checks an adapter against the
// contract. Writes are idempotent by caller-supplied IDs with request
// hashes; complaints, reviews and follow-ups are versioned and updated by
// compare-and-set.
package feedback
