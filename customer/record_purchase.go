package customer

import (
	"context"
	"errors"
	"fmt"
	"github.com/clientele-go/clientele/internal/idem"
)

// RecordPurchase validates and stores a purchase. It is idempotent by
// p.ID: replaying the same purchase returns the stored one and writes
// nothing; a different purchase under the same ID fails with
// ErrIdempotencyMismatch. A purchase for a merged customer is recorded
// against the survivor; one for an erased customer is refused (ErrErased).
func (s *Service) RecordPurchase(ctx context.Context, p Purchase) (Purchase, error) {
	p = p.Clone()
	p.Time = storeTime(p.Time)
	if err := ValidatePurchase(p); err != nil {
		return Purchase{}, err
	}
	hash, err := idem.Hash(p)
	if err != nil {
		return Purchase{}, &FieldError{Field: "purchase", Problem: err.Error()}
	}
	if stored, done, err := s.replayedPurchase(ctx, p.ID, hash); done {
		return stored, err
	}
	if p.CustomerID != "" {
		c, err := s.Get(ctx, p.CustomerID)
		if err != nil {
			return Purchase{}, fmt.Errorf("customer: purchase %s: %w", p.ID, err)
		}
		if c.Erased() {
			return Purchase{}, fmt.Errorf("customer: purchase %s: %w", p.ID, ErrErased)
		}
		p.CustomerID = c.ID
	}
	err = s.store.AddPurchase(ctx, PurchaseRecord{Purchase: p, Hash: hash, Version: 1})
	if errors.Is(err, ErrAlreadyExists) {
		// A concurrent replay of the same request won the race.
		stored, _, err := s.replayedPurchase(ctx, p.ID, hash)
		return stored, err
	}
	if err != nil {
		return Purchase{}, fmt.Errorf("customer: purchase %s: %w", p.ID, err)
	}
	return p, nil
}

// replayedPurchase reports whether a purchase with the ID exists, and if
// so, whether it came from the same request.
func (s *Service) replayedPurchase(ctx context.Context, id, hash string) (Purchase, bool, error) {
	rec, err := s.store.GetPurchase(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return Purchase{}, false, nil
	case err != nil:
		return Purchase{}, true, fmt.Errorf("customer: purchase %s: %w", id, err)
	case rec.Hash != hash:
		return Purchase{}, true, fmt.Errorf("customer: purchase %s: %w", id, ErrIdempotencyMismatch)
	}
	return rec.Purchase, true, nil
}

// Purchase returns a stored purchase.
func (s *Service) Purchase(ctx context.Context, id string) (Purchase, error) {
	rec, err := s.store.GetPurchase(ctx, id)
	if err != nil {
		return Purchase{}, fmt.Errorf("customer: purchase %s: %w", id, err)
	}
	return rec.Purchase, nil
}

// PurchaseHolder returns a recorded purchase and the customer who holds it
// now (merges followed, as Get does); the customer is zero for an
// anonymous purchase. A purchase never recorded is ErrNotFound with a zero
// purchase; a holder that cannot be read is an error with the purchase
// returned. Where the store is a PurchaseHolderStore, both come from one
// call.
func (s *Service) PurchaseHolder(ctx context.Context, id string) (Purchase, Customer, error) {
	var (
		rec   PurchaseRecord
		c     Customer
		found bool
		err   error
	)
	if hs, ok := s.store.(PurchaseHolderStore); ok {
		rec, c, found, err = hs.GetPurchaseHolder(ctx, id)
	} else {
		rec, err = s.store.GetPurchase(ctx, id)
	}
	if err != nil {
		return Purchase{}, Customer{}, fmt.Errorf("customer: purchase %s: %w", id, err)
	}
	p := rec.Purchase
	switch {
	case p.CustomerID == "":
		return p, Customer{}, nil
	case found && c.MergedInto == "":
		return p, c, nil
	case found:
		c, err = s.Get(ctx, c.MergedInto)
	default:
		c, err = s.Get(ctx, p.CustomerID)
	}
	if err != nil {
		return p, Customer{}, err
	}
	return p, c, nil
}
