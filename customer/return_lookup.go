package customer

import (
	"context"
	"fmt"
)

// Return returns a stored return, as recorded (its CustomerID is the
// customer who held the purchase when it was returned).
func (s *Service) Return(ctx context.Context, id string) (Return, error) {
	rec, err := s.store.GetReturn(ctx, id)
	if err != nil {
		return Return{}, fmt.Errorf("customer: return %s: %w", id, err)
	}
	return rec.Return, nil
}
