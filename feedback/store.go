package feedback

import (
	"context"
	"iter"
	"time"
)

// Store is what the service needs from persistence. A host implements it
// over its own database or uses NewMemoryStore; feedbacktest.Run checks
// every "must" below.
//
// Every method must honour ctx cancellation where it blocks, must return
// copies (never memory the store keeps), and must keep times to at least
// microsecond precision. A store must be safe for concurrent use.
// Versioned records (complaints, surveys, reviews, follow-ups, invitation
// logs) are written by compare-and-set: the service sets Version to the
// version it read plus one, and the store writes only if the stored
// version is one less; of N concurrent writes naming the same version,
// exactly one succeeds.
type Store interface {
	ComplaintStore
	SurveyStore
	ReviewStore
	FollowUpStore
	CustomerLinks
}

// ComplaintStore keeps complaints.
type ComplaintStore interface {
	// CreateComplaint stores a new complaint whose Version is 1. It must
	// fail with ErrAlreadyExists if the ID exists, writing nothing.
	CreateComplaint(ctx context.Context, c Complaint) error

	// GetComplaint returns the complaint with the ID, or ErrNotFound.
	GetComplaint(ctx context.Context, id string) (Complaint, error)

	// UpdateComplaint replaces a complaint if its stored Version equals
	// c.Version-1. It must fail with ErrNotFound if the complaint does not
	// exist and with ErrConflict if the version differs; the check and
	// the write must be atomic.
	UpdateComplaint(ctx context.Context, c Complaint) error

	// OpenComplaints yields every complaint whose Status is open
	// (received, acknowledged or investigating), in ascending ID order.
	OpenComplaints(ctx context.Context) iter.Seq2[Complaint, error]

	// ComplaintsBetween yields every complaint with from <= ReceivedAt <
	// to, oldest first (by ReceivedAt, then ID). It should stream: memory
	// must not grow with the size of the range.
	ComplaintsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Complaint, error]

	// ComplaintsOf yields one customer's complaints newest first (by
	// ReceivedAt descending, then ID descending).
	ComplaintsOf(ctx context.Context, customerID string) iter.Seq2[Complaint, error]
}

// DueComplaintIndex is an optional capability of a ComplaintStore: an
// index on Complaint.DueAt. Without it the service scans
// OpenComplaints and filters, which reads every open complaint.
type DueComplaintIndex interface {
	// ComplaintsDueBefore yields every complaint with a non-zero DueAt
	// before t, ordered by DueAt, then ID.
	ComplaintsDueBefore(ctx context.Context, t time.Time) iter.Seq2[Complaint, error]
}

// SurveyStore keeps survey definitions, responses and invitation logs.
type SurveyStore interface {
	// CreateSurvey stores a new survey whose Version is 1, or fails with
	// ErrAlreadyExists.
	CreateSurvey(ctx context.Context, s Survey) error
	// GetSurvey returns a survey, or ErrNotFound.
	GetSurvey(ctx context.Context, id string) (Survey, error)
	// UpdateSurvey replaces a survey by compare-and-set on Version, failing
	// with ErrNotFound or ErrConflict.
	UpdateSurvey(ctx context.Context, s Survey) error
	// Surveys yields every survey in ascending ID order.
	Surveys(ctx context.Context) iter.Seq2[Survey, error]

	// AddResponse stores a response. It must fail with ErrAlreadyExists if
	// a response with the ID exists, writing nothing.
	AddResponse(ctx context.Context, r ResponseRecord) error
	// GetResponse returns a stored response, or ErrNotFound.
	GetResponse(ctx context.Context, id string) (ResponseRecord, error)
	// ResponsesBetween yields every response with from <= Time < to,
	// oldest first (by Time, then ID). It should stream.
	ResponsesBetween(ctx context.Context, from, to time.Time) iter.Seq2[Response, error]
	// ResponsesOf yields one customer's responses newest first (by Time
	// descending, then ID descending).
	ResponsesOf(ctx context.Context, customerID string) iter.Seq2[Response, error]

	// GetInvitationLog returns a customer's invitation log, or
	// ErrNotFound.
	GetInvitationLog(ctx context.Context, customerID string) (InvitationLog, error)
	// SaveInvitationLog writes a log by compare-and-set: Version 1 creates
	// it and must fail with ErrConflict if a log exists; a higher Version
	// must fail with ErrConflict unless the stored Version is one less
	// (and with ErrConflict if there is none).
	SaveInvitationLog(ctx context.Context, l InvitationLog) error
}

// ReviewStore keeps product reviews.
type ReviewStore interface {
	// CreateReview stores a review whose Version is 1, or fails with
	// ErrAlreadyExists writing nothing.
	CreateReview(ctx context.Context, r Review) error
	// GetReview returns a review, or ErrNotFound.
	GetReview(ctx context.Context, id string) (Review, error)
	// UpdateReview replaces a review by compare-and-set on Version,
	// failing with ErrNotFound or ErrConflict.
	UpdateReview(ctx context.Context, r Review) error
	// ReviewsOfProduct yields the reviews of a SKU newest first (by Time
	// descending, then ID descending).
	ReviewsOfProduct(ctx context.Context, sku string) iter.Seq2[Review, error]
	// ReviewsBetween yields every review with from <= Time < to, oldest
	// first (by Time, then ID).
	ReviewsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Review, error]
	// ReviewsOf yields one customer's reviews newest first (by Time
	// descending, then ID descending).
	ReviewsOf(ctx context.Context, customerID string) iter.Seq2[Review, error]
}

// FollowUpStore keeps follow-up tasks.
type FollowUpStore interface {
	// CreateFollowUp stores a follow-up whose Version is 1, or fails with
	// ErrAlreadyExists writing nothing.
	CreateFollowUp(ctx context.Context, f FollowUp) error
	// GetFollowUp returns a follow-up, or ErrNotFound.
	GetFollowUp(ctx context.Context, id string) (FollowUp, error)
	// UpdateFollowUp replaces a follow-up by compare-and-set on Version,
	// failing with ErrNotFound or ErrConflict.
	UpdateFollowUp(ctx context.Context, f FollowUp) error
	// FollowUps yields the follow-ups the filter matches, by DueAt, then
	// ID.
	FollowUps(ctx context.Context, q FollowUpFilter) iter.Seq2[FollowUp, error]
}

// CustomerLinks carries customer merges and erasure to feedback records.
type CustomerLinks interface {
	// Reassign moves every complaint, response, review and follow-up of
	// customer from to customer to; versioned records it changes get
	// Version+1. Invitation logs are merged by the service, not here. It
	// must be idempotent: calling it again changes nothing.
	Reassign(ctx context.Context, from, to string) error

	// Redact clears the free text of every record of the customer, as
	// Complaint.Redact, Response.Redact, Review.Redact and FollowUp.Redact
	// say, keeping scores, ratings and facts; versioned records it
	// changes get Version+1. It must be idempotent.
	Redact(ctx context.Context, customerID string) error
}
