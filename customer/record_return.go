package customer

import (
	"context"
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/internal/factlimit"
	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/shopspring/decimal"
)

// RecordReturn validates and stores a return against its purchase. It is
// idempotent by r.ID like RecordPurchase. It never lets a line be returned
// beyond what was bought minus what earlier returns took, nor a refund
// beyond what was paid minus earlier refunds, even when returns of the same
// purchase race: the store's version check on the purchase serialises them.
func (s *Service) RecordReturn(ctx context.Context, r Return) (Return, error) {
	r = r.Clone()
	r.Time = storeTime(r.Time)
	r.CustomerID = ""
	if err := validateReturnShape(r); err != nil {
		return Return{}, err
	}
	hash, err := idem.Hash(r)
	if err != nil {
		return Return{}, &FieldError{Field: "return", Problem: err.Error()}
	}
	for attempt := 0; ; attempt++ {
		if stored, done, err := s.replayedReturn(ctx, r.ID, hash); done {
			return stored, err
		}
		rec, err := s.store.GetPurchase(ctx, r.PurchaseID)
		if err != nil {
			return Return{}, fmt.Errorf("customer: return %s: purchase: %w", r.ID, err)
		}
		var earlier []Return
		for prev, err := range s.store.ReturnsOfPurchase(ctx, r.PurchaseID) {
			if err != nil {
				return Return{}, fmt.Errorf("customer: return %s: %w", r.ID, err)
			}
			earlier = append(earlier, prev)
		}
		if err := ValidateReturn(r, rec.Purchase, earlier); err != nil {
			return Return{}, err
		}
		r.CustomerID = rec.Purchase.CustomerID
		err = s.store.AddReturn(ctx, ReturnRecord{Return: r, Hash: hash}, rec.Version)
		switch {
		case err == nil:
			return r, nil
		case errors.Is(err, ErrAlreadyExists):
			continue // a concurrent replay stored it; the replay check answers
		case errors.Is(err, ErrConflict) && attempt < s.opts.MaxRetries:
			continue // another return of the purchase landed; check again
		}
		return Return{}, fmt.Errorf("customer: return %s: %w", r.ID, err)
	}
}

func (s *Service) replayedReturn(ctx context.Context, id, hash string) (Return, bool, error) {
	rec, err := s.store.GetReturn(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return Return{}, false, nil
	case err != nil:
		return Return{}, true, fmt.Errorf("customer: return %s: %w", id, err)
	case rec.Hash != hash:
		return Return{}, true, fmt.Errorf("customer: return %s: %w", id, ErrIdempotencyMismatch)
	}
	return rec.Return, true, nil
}

// validateReturnShape checks what needs no lookup.
func validateReturnShape(r Return) error {
	var fe fieldErrors
	validateFact(&fe, r.ID, r.Store, r.Time)
	if r.PurchaseID == "" || !validLabel(r.PurchaseID, maxIDLen) {
		fe.add("purchaseId", "required, at most %d bytes", maxIDLen)
	}
	if _, err := money.MinorUnits(r.Currency); err != nil {
		fe.add("currency", "must be an ISO 4217 code")
	}
	if len(r.Lines) == 0 || len(r.Lines) > maxLines {
		fe.add("lines", "between 1 and %d lines", maxLines)
	}
	for i, l := range r.Lines {
		if l.Line < 1 {
			fe.add(fmt.Sprintf("lines[%d].line", i), "must be a 1-based line number")
		}
		if q, ok := factlimit.Quantity(l.Quantity); !ok {
			fe.addRange(fmt.Sprintf("lines[%d].quantity", i), "must have at most %d decimals and be at most %d", factlimit.QuantityScale, factlimit.MaxQuantity)
		} else if q <= 0 {
			fe.add(fmt.Sprintf("lines[%d].quantity", i), "must be positive")
		}
	}
	if scale, err := money.MinorUnits(r.Currency); err == nil {
		checkAmount(&fe, "refund", r.Refund, scale, true)
	} else {
		checkAmount(&fe, "refund", r.Refund, 0, false)
	}
	if r.Refund.IsNegative() {
		fe.add("refund", "must not be negative")
	}
	if !validText(r.Reason, maxTextLen) {
		fe.add("reason", "at most %d bytes of valid UTF-8 without control characters", maxTextLen)
	}
	if !validLabel(r.Staff, maxIDLen) {
		fe.add("staff", "at most %d bytes of valid UTF-8 without control characters", maxIDLen)
	}
	return fe.err()
}

// ValidateReturn checks a return against its purchase and the returns
// already recorded for it: same currency, not before the purchase, existing
// lines, whole units for lines sold in whole units, quantities within what
// remains (an *OverReturnError), and a refund within what remains paid.
func ValidateReturn(r Return, p Purchase, earlier []Return) error {
	if err := validateReturnShape(r); err != nil {
		return err
	}
	var fe fieldErrors
	if r.Currency != p.Currency {
		fe.add("currency", "must be the purchase's currency")
	}
	if r.Time.Before(p.Time) {
		fe.add("time", "must not be before the purchase")
	}
	remaining := make([]decimal.Decimal, len(p.Lines))
	for i, l := range p.Lines {
		remaining[i] = l.Quantity
	}
	refunded := decimal.Zero
	for _, prev := range earlier {
		refunded = refunded.Add(prev.Refund)
		for _, l := range prev.Lines {
			if l.Line >= 1 && l.Line <= len(remaining) {
				remaining[l.Line-1] = remaining[l.Line-1].Sub(l.Quantity)
			}
		}
	}
	var over error
	for i, l := range r.Lines {
		field := fmt.Sprintf("lines[%d]", i)
		if l.Line > len(p.Lines) {
			fe.add(field+".line", "the purchase has %d lines", len(p.Lines))
			continue
		}
		if p.Lines[l.Line-1].Quantity.IsInteger() && !l.Quantity.IsInteger() {
			fe.add(field+".quantity", "the line was sold in whole units")
		}
		remaining[l.Line-1] = remaining[l.Line-1].Sub(l.Quantity)
		if remaining[l.Line-1].IsNegative() && over == nil {
			over = &OverReturnError{PurchaseID: p.ID, Line: l.Line, Remaining: remaining[l.Line-1].Add(l.Quantity).String()}
		}
	}
	if r.Refund.Add(refunded).GreaterThan(p.Total()) {
		fe.add("refund", "exceeds what was paid less earlier refunds")
	}
	if over != nil {
		fe = append(fe, over)
	}
	return fe.err()
}
