package customer

import (
	"context"
	"errors"
	"fmt"
	"reflect"
)

// LogInteraction records a contact with a customer. An empty ID gets a
// fresh one and an empty Time the service clock; with a POS-supplied ID
// the call is idempotent (the same interaction again returns the stored
// one; a different one under the ID is ErrIdempotencyMismatch).
func (s *Service) LogInteraction(ctx context.Context, in Interaction) (Interaction, error) {
	if in.ID == "" {
		in.ID = s.opts.NewID()
	}
	if in.Time.IsZero() {
		in.Time = s.opts.Clock()
	}
	in.Time = storeTime(in.Time)
	if err := validateInteraction(in); err != nil {
		return Interaction{}, err
	}
	c, err := s.Get(ctx, in.CustomerID)
	if err != nil {
		return Interaction{}, fmt.Errorf("customer: interaction %s: %w", in.ID, err)
	}
	if c.Erased() {
		return Interaction{}, fmt.Errorf("customer: interaction %s: %w", in.ID, ErrErased)
	}
	requested := in
	in.CustomerID = c.ID
	err = s.store.AddInteraction(ctx, in)
	if errors.Is(err, ErrAlreadyExists) {
		stored, gerr := s.store.GetInteraction(ctx, in.ID)
		if gerr != nil {
			return Interaction{}, fmt.Errorf("customer: interaction %s: %w", in.ID, gerr)
		}
		// The stored copy may name the survivor of a later merge; compare
		// the rest of the request.
		requested.CustomerID = stored.CustomerID
		if !reflect.DeepEqual(normalizedInteraction(stored), normalizedInteraction(requested)) {
			return Interaction{}, fmt.Errorf("customer: interaction %s: %w", in.ID, ErrIdempotencyMismatch)
		}
		return stored, nil
	}
	if err != nil {
		return Interaction{}, fmt.Errorf("customer: interaction %s: %w", in.ID, err)
	}
	return in, nil
}

// normalizedInteraction makes two interactions comparable with DeepEqual
// whatever the location their store returned the time in.
func normalizedInteraction(in Interaction) Interaction {
	in.Time = storeTime(in.Time)
	return in
}

func validateInteraction(in Interaction) error {
	var fe fieldErrors
	validateFact(&fe, in.ID, in.Store, in.Time)
	if in.CustomerID == "" {
		fe.add("customerId", "required")
	}
	switch in.Direction {
	case Inbound, Outbound:
	default:
		fe.add("direction", "must be inbound or outbound")
	}
	if in.Kind == "" || !validLabel(string(in.Kind), maxTagLen) {
		fe.add("kind", "required, at most %d bytes", maxTagLen)
	}
	if in.Channel == "" || !validLabel(string(in.Channel), maxTagLen) {
		fe.add("channel", "required, at most %d bytes", maxTagLen)
	}
	if !validText(in.Summary, maxTextLen) || !validText(in.Outcome, maxTextLen) {
		fe.add("summary", "summary and outcome at most %d bytes of valid UTF-8", maxTextLen)
	}
	if !validLabel(in.Staff, maxIDLen) || !validLabel(in.Reference, maxIDLen) {
		fe.add("staff", "staff and reference at most %d bytes", maxIDLen)
	}
	return fe.err()
}
