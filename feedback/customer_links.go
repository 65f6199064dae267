package feedback

import (
	"context"
	"errors"
	"iter"
	"slices"

	"github.com/clientele-go/clientele/customer"
)

// MergeCustomer moves every complaint, response, review and follow-up of
// the duplicate customer to the survivor, and folds the duplicate's
// survey invitations into the survivor's log (so the cool-down keeps
// counting them). It is idempotent, so the customer package's merge hook
// can call it again after a crash.
func (s *Service) MergeCustomer(ctx context.Context, survivor, duplicate string) error {
	if survivor == "" || duplicate == "" || survivor == duplicate {
		var fe fieldErrors
		fe.add("duplicate", "must name a customer other than the survivor")
		return wrap("merge customer", duplicate, fe.err())
	}
	if err := s.store.Reassign(ctx, duplicate, survivor); err != nil {
		return wrap("merge customer", duplicate, err)
	}
	dup, err := s.store.GetInvitationLog(ctx, duplicate)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return wrap("merge customer", duplicate, err)
	}
	err = s.retry(func() error {
		log, err := s.store.GetInvitationLog(ctx, survivor)
		if errors.Is(err, ErrNotFound) {
			log, err = InvitationLog{CustomerID: survivor}, nil
		}
		if err != nil {
			return err
		}
		changed := false
		for _, inv := range dup.Invitations {
			if !slices.ContainsFunc(log.Invitations, func(x Invitation) bool { return x.ID == inv.ID }) {
				inv.CustomerID = survivor
				log.Invitations = append(log.Invitations, inv)
				changed = true
			}
		}
		if !changed {
			return nil
		}
		slices.SortFunc(log.Invitations, func(a, b Invitation) int { return a.At.Compare(b.At) })
		log.Invitations = trimInvitations(log.Invitations)
		log.Version++
		return s.store.SaveInvitationLog(ctx, log)
	})
	return wrap("merge customer", duplicate, err)
}

// OnCustomerMerged is MergeCustomer in the shape of a customer.Options
// OnMerge hook.
func (s *Service) OnCustomerMerged(ctx context.Context, m customer.MergeRecord) error {
	return s.MergeCustomer(ctx, m.Survivor, m.Duplicate)
}

// EraseCustomer clears the personal free text of every feedback record of
// the customer: complaint descriptions, remedies sought and notes, survey
// comments, review titles and texts, follow-up notes. Scores, ratings,
// categories, times and remedy costs stay, under the customer's
// pseudonymous ID, for the metrics. It is idempotent.
func (s *Service) EraseCustomer(ctx context.Context, id string) error {
	if id == "" {
		return wrap("erase customer", id, &FieldError{Field: "customerId", Problem: "is required"})
	}
	return wrap("erase customer", id, s.store.Redact(ctx, id))
}

// CustomerFeedback is everything feedback holds about one customer, for a
// data-subject export.
type CustomerFeedback struct {
	Complaints  []Complaint  `json:"complaints"`
	Responses   []Response   `json:"responses"`
	Reviews     []Review     `json:"reviews"`
	FollowUps   []FollowUp   `json:"followUps"`
	Invitations []Invitation `json:"invitations"`
}

// ExportCustomer returns every feedback record of a customer, newest
// first (follow-ups and invitations by due date and time).
func (s *Service) ExportCustomer(ctx context.Context, id string) (CustomerFeedback, error) {
	if id == "" {
		return CustomerFeedback{}, wrap("export customer", id, &FieldError{Field: "customerId", Problem: "is required"})
	}
	var out CustomerFeedback
	var err error
	if out.Complaints, err = drain(s.store.ComplaintsOf(ctx, id)); err != nil {
		return CustomerFeedback{}, wrap("export customer", id, err)
	}
	if out.Responses, err = drain(s.store.ResponsesOf(ctx, id)); err != nil {
		return CustomerFeedback{}, wrap("export customer", id, err)
	}
	if out.Reviews, err = drain(s.store.ReviewsOf(ctx, id)); err != nil {
		return CustomerFeedback{}, wrap("export customer", id, err)
	}
	if out.FollowUps, err = drain(s.store.FollowUps(ctx, FollowUpFilter{CustomerID: id})); err != nil {
		return CustomerFeedback{}, wrap("export customer", id, err)
	}
	log, err := s.store.GetInvitationLog(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return CustomerFeedback{}, wrap("export customer", id, err)
	}
	out.Invitations = log.Invitations
	return out, nil
}

func drain[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
