package feedback

import (
	"context"
	"errors"
	"github.com/clientele-go/clientele/internal/textcheck"
	"iter"
	"time"
)

// SubmitReview records a product review in the pending state. The
// service owns Version, RequestHash and the moderation fields; whatever
// they hold is ignored. The ID makes it idempotent: a replay returns the
// stored review, the same ID with different content fails with
// ErrIdempotencyMismatch. A zero Time means now; a Time more than
// MaxClockAhead after the service clock is refused.
func (s *Service) SubmitReview(ctx context.Context, r Review) (Review, []Event, error) {
	out, err := s.submitReview(ctx, r)
	if err != nil {
		return Review{}, nil, wrap("submit review", r.ID, err)
	}
	return out, []Event{ReviewSubmitted{ReviewID: out.ID, SKU: out.SKU, CustomerID: out.CustomerID, Rating: out.Rating, At: out.Time}}, nil
}

func (s *Service) submitReview(ctx context.Context, r Review) (Review, error) {
	r.Version, r.RequestHash, r.State = 0, "", ""
	r.Moderator, r.ModeratedAt, r.ModerationNote = "", time.Time{}, ""
	var fe fieldErrors
	if r.SKU == "" {
		fe.add("sku", "is required")
	}
	if r.Rating < 1 || r.Rating > 5 {
		fe.add("rating", "must lie between 1 and 5")
	}
	if !textcheck.Label(r.Title, 200) {
		fe.add("title", "must be one line of valid UTF-8 of at most 200 bytes")
	}
	checkText(&fe, "text", r.Text)
	for field, id := range map[string]string{"id": r.ID, "sku": r.SKU, "customerId": r.CustomerID,
		"purchaseId": r.PurchaseID, "store": r.Store} {
		checkID(&fe, field, id)
	}
	s.checkNotAhead(&fe, "time", r.Time)
	if err := fe.err(); err != nil {
		return Review{}, err
	}
	hashed := r
	hashed.Time = utc(r.Time)
	hash, err := requestHash(hashed)
	if err != nil {
		return Review{}, err
	}
	if r.ID == "" {
		r.ID = s.newID()
	}
	r.Time = stamp(r.Time)
	if r.Time.IsZero() {
		r.Time = s.now()
	}
	r.Version, r.RequestHash, r.State = 1, hash, ReviewPending
	err = s.store.CreateReview(ctx, r)
	if errors.Is(err, ErrAlreadyExists) {
		old, gerr := s.store.GetReview(ctx, r.ID)
		if gerr != nil {
			return Review{}, gerr
		}
		if old.RequestHash != hash {
			return Review{}, ErrIdempotencyMismatch
		}
		return old, nil
	}
	return r, err
}

// Moderate moves a review to another moderation state (see CanModerate);
// an illegal move is a *TransitionError. Moving a review to the state it
// is in by the same moderator is a replay.
func (s *Service) Moderate(ctx context.Context, id string, to ModerationState, moderator, note string) (Review, []Event, error) {
	if moderator == "" {
		return Review{}, nil, wrap("review", id, &FieldError{Field: "moderator", Problem: "is required"})
	}
	var out Review
	var from ModerationState
	replay := false
	err := s.retry(func() error {
		r, err := s.store.GetReview(ctx, id)
		if err != nil {
			return err
		}
		if r.State == to && r.Moderator == moderator {
			out, replay = r, true
			return nil
		}
		if !CanModerate(r.State, to) {
			return &TransitionError{Record: "review", ID: id, From: string(r.State), Action: "move to " + string(to)}
		}
		from = r.State
		r.State, r.Moderator, r.ModerationNote, r.ModeratedAt = to, moderator, note, s.now()
		r.Version++
		if err := s.store.UpdateReview(ctx, r); err != nil {
			return err
		}
		out = r
		return nil
	})
	if err != nil {
		return Review{}, nil, wrap("review", id, err)
	}
	if replay {
		return out, nil, nil
	}
	return out, []Event{ReviewModerated{ReviewID: id, SKU: out.SKU, From: from, To: to, Moderator: moderator, At: out.ModeratedAt}}, nil
}

// GetReview returns a review, or ErrNotFound.
func (s *Service) GetReview(ctx context.Context, id string) (Review, error) {
	r, err := s.store.GetReview(ctx, id)
	return r, wrap("get review", id, err)
}

// PublishedReviews yields the approved reviews of a product, newest first.
func (s *Service) PublishedReviews(ctx context.Context, sku string) iter.Seq2[Review, error] {
	return func(yield func(Review, error) bool) {
		for r, err := range s.store.ReviewsOfProduct(ctx, sku) {
			if err != nil {
				yield(Review{}, err)
				return
			}
			if r.State == ReviewApproved && !yield(r, nil) {
				return
			}
		}
	}
}

// ReviewsBetween yields the reviews written in [from, to), oldest first.
func (s *Service) ReviewsBetween(ctx context.Context, from, to time.Time) iter.Seq2[Review, error] {
	return s.store.ReviewsBetween(ctx, from, to)
}
