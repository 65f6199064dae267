package feedback

import (
	"fmt"
	"log/slog"
	"time"
)

// ModerationState is where a review stands in moderation.
type ModerationState string

// Moderation states. A review is published only when approved.
const (
	ReviewPending  ModerationState = "pending"
	ReviewApproved ModerationState = "approved"
	ReviewRejected ModerationState = "rejected"
)

// Review is a product review, a versioned record: submitted once
// (idempotent by ID), then moderated by compare-and-set. Title and Text
// are free text; erasure clears them and keeps the rating.
type Review struct {
	ID          string    `json:"id"`
	Version     int64     `json:"version"`
	RequestHash string    `json:"requestHash"`
	SKU         string    `json:"sku"`
	CustomerID  string    `json:"customerId,omitempty"`
	PurchaseID  string    `json:"purchaseId,omitempty"`
	Store       string    `json:"store,omitempty"`
	Channel     Channel   `json:"channel,omitempty"`
	Rating      int       `json:"rating"` // 1-5 stars
	Title       string    `json:"title,omitempty"`
	Text        string    `json:"text,omitempty"`
	Time        time.Time `json:"time"`

	State          ModerationState `json:"state"`
	Moderator      string          `json:"moderator,omitempty"`
	ModeratedAt    time.Time       `json:"moderatedAt,omitzero"`
	ModerationNote string          `json:"moderationNote,omitempty"`
}

// Redact clears the review's free text (erasure) and reports whether
// there was any.
func (r *Review) Redact() bool {
	changed := r.Title != "" || r.Text != ""
	r.Title, r.Text = "", ""
	return changed
}

// Erase is a store's erasure of a review: Redact, and a new version only
// if that changed it. It reports whether to write it back.
func (r *Review) Erase() bool {
	if !r.Redact() {
		return false
	}
	r.Version++
	return true
}

// String describes the review without its text.
func (r Review) String() string {
	return fmt.Sprintf("Review{ID: %s, SKU: %s, Rating: %d, State: %s}", r.ID, r.SKU, r.Rating, r.State)
}

// GoString redacts the text from %#v as well.
func (r Review) GoString() string { return r.String() }

// LogValue keeps the text out of slog output.
func (r Review) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", r.ID), slog.String("sku", r.SKU), slog.Int("rating", r.Rating), slog.String("state", string(r.State)))
}

// CanModerate reports whether a review may move from one state to
// another: pending to approved or rejected, and approved and rejected to
// each other (a take-down, a successful appeal). Nothing returns to
// pending.
func CanModerate(from, to ModerationState) bool {
	switch from {
	case ReviewPending:
		return to == ReviewApproved || to == ReviewRejected
	case ReviewApproved:
		return to == ReviewRejected
	case ReviewRejected:
		return to == ReviewApproved
	}
	return false
}
