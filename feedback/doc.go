// Package feedback keeps what customers tell a shop: survey responses
// (NPS, CSAT, CES, star ratings and comments), product reviews with
// moderation, complaints handled under service-level agreements, and the
// follow-up visits (回访) that close the loop.
//
// A Service works over a Store. NewMemoryStore is the embedded default;
// a host with its own database implements Store and checks it with
// feedbacktest.Run:
//
//	policy, err := feedback.ParseSLAPolicy(policyJSON)
//	svc, err := feedback.New(feedback.NewMemoryStore(), policy, &feedback.Options{
//		Interactions: customerService, // records follow-up outcomes
//		Goodwill:     loyaltyGranter,  // grants goodwill-points remedies
//	})
//
// # Complaints and the SLA clock
//
// A complaint moves through the ISO 10002-style flow received →
// acknowledged → investigating → resolved → closed, and may be reopened
// from resolved or closed back to investigating (NextStatus has the
// table). Every step records its actor, time and note; a step the state
// does not allow fails with a *TransitionError matching
// ErrIllegalTransition and writes nothing.
//
// Deadlines are fixed at intake from the store's SLAPolicy: first-response
// and resolution targets per priority, in business time, counted on a
// Calendar of weekly opening hours, holidays and special days in the
// shop's time zone. While the shop waits on the customer the clock stops;
// when the wait ends, the resolution deadline moves out by the business
// time the wait covered. The calendar arithmetic is pure: Calendar.Add,
// Calendar.Between, Calendar.BetweenExcluding and Calendar.Deadline.
//
// Complaint.DueAt is the earliest deadline still running; stores index it
// (DueComplaintIndex), so OverdueComplaints and the scheduler's Scan read
// only the overdue tickets. Scan reports each missed deadline once
// (ComplaintOverdue), walks the policy's escalation ladder
// (ComplaintEscalated) and announces follow-ups that came due
// (FollowUpDue).
//
// Remedies (refund, replacement, repair, coupon, goodwill points, apology)
// are recorded with their cost; goodwill points go through a
// GoodwillGranter with an idempotency key, so a retry never grants twice.
// RateHandling records the customer's satisfaction with the handling.
//
// # Surveys, reviews and follow-ups
//
// Survey definitions hold questions on fixed scales and invitation rules
// (after a purchase over an amount, after a complaint is closed). Invite,
// InviteOnTrigger and InviteAfterPurchase apply a per-customer cool-down
// as one compare-and-set, so nobody is asked twice a week, and ask an
// optional ConsentChecker first, trying each matching rule's channel in
// order; InviteOnTrigger offers the trigger to every active survey in
// turn and reports why each one declined (TriggerOutcome). Closing a
// complaint invites through the after-complaint-closed rules by itself.
// Responses and reviews are idempotent by their IDs, with request hashes
// telling a replay from a clash.
//
// Follow-ups are scheduled after big-ticket purchases (delivery or
// installation checks), after a complaint is resolved (automatically), and
// for valued customers who stopped visiting; DueFollowUps lists them per
// store and staff member; CompleteFollowUp logs the outcome as a customer
// interaction through an InteractionLogger. A follow-up ID reused for
// another customer, store or purpose is ErrIdempotencyMismatch.
//
// # Time from lanes
//
// Every time a caller hands in (a complaint's ReceivedAt, a response's or
// review's Time, a follow-up's CreatedAt or outcome time, a remedy's time,
// an invitation trigger's At, a purchase's time) may lie at most
// MaxClockAhead (five minutes) after the service clock; later ones fail
// with ErrInvalid, so a lane whose clock runs ahead cannot push deadlines,
// cool-downs or due dates out. Late times are fine: lanes sync late.
//
// # Customers merged and erased
//
// MergeCustomer and EraseCustomer carry the customer package's merge and
// erasure to feedback records; both are idempotent, so a merge or erasure
// hook can call them again after a crash. ExportCustomer returns what
// feedback holds about one customer.
//
// # Metrics
//
// ResponsesBetween, ComplaintsBetween and ReviewsBetween stream the facts
// of a period, oldest first, for NPS, CSAT, CES and complaint KPIs.
//
// # Storage contract
//
// Writes are idempotent by caller-supplied IDs; complaints, surveys,
// reviews, follow-ups and invitation logs are versioned and updated by
// compare-and-set, and the service retries a lost race a bounded number of
// times. Operations return the domain events they caused (see Event); the
// library delivers nothing itself and starts no goroutines.
//
// # Input and privacy
//
// IDs a caller supplies (complaint, remedy and request IDs, and the
// customer, store, staff and purchase IDs an intake names) are at most
// MaxIDLen bytes of valid UTF-8 without control characters; descriptions
// and notes are valid UTF-8 without control characters other than tabs
// and line breaks. A goodwill remedy is refused beyond MaxGoodwillPoints,
// loyalty's bound on one operation, before anything is recorded. SLA
// policies refuse duplicate and unknown keys, each named at its JSON path.
// Every type holding what a customer wrote or what staff wrote about them
// (ComplaintIntake, Complaint, Remedy, Step, Transition, Answer, Response,
// Review, FollowUp, FollowUpOutcome, CustomerFeedback) prints no such
// text through String, GoString, Format (any fmt verb) or LogValue.
package feedback
