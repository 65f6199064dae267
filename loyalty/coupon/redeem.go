package coupon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/clientele-go/clientele/loyalty/pricing"
)

// lookup finds a presented code: a generated code (O read as 0, I and L
// as 1) whose check character holds, else the code as typed. A code of
// a generated code's shape whose check character fails is refused
// without a lookup unless a generic or imported code of that spelling
// exists.
func (s *Service) lookup(ctx context.Context, presented string) (Code, error) {
	norm := Normalize(presented)
	if g, ok := generatedForm(norm); ok && g != "" {
		c, err := s.store.GetCode(ctx, g)
		if !errors.Is(err, ErrNotFound) || g == norm {
			return c, err
		}
	}
	if !validChosen(norm) {
		return Code{}, ErrNotFound
	}
	return s.store.GetCode(ctx, norm)
}

// refusal is why code c cannot be used by customer at at, or "".
func refusal(c Code, def Definition, u Uses, customer string, at time.Time) pricing.Reason {
	w := def.Offer.When
	switch {
	case c.Void:
		return pricing.ReasonVoid
	case c.Owner != "" && c.Owner != customer:
		return pricing.ReasonNotYours
	case !w.From.IsZero() && at.Before(w.From):
		return pricing.ReasonNotYet
	case !w.Until.IsZero() && !at.Before(w.Until):
		return pricing.ReasonExpired
	case c.Used+c.Held >= c.Limit:
		return pricing.ReasonUsedUp
	case c.PerCustomer > 0 && customer == "":
		return pricing.ReasonMembersOnly
	case c.PerCustomer > 0 && u.Used+u.Held >= c.PerCustomer:
		return pricing.ReasonCustomerLimit
	}
	return ""
}

// Present looks up a code shown at the till by customer (empty for a
// customer without a card) and returns it as pricing sees it: its offer,
// named by the masked code, or, when it cannot be used, with the reason
// in Refused. Only a store failure is an error. Present writes nothing: a
// use is taken by Hold.
func (s *Service) Present(ctx context.Context, code, customer string, at time.Time) (pricing.Coupon, error) {
	out := pricing.Coupon{Ref: Mask(code)}
	c, err := s.lookup(ctx, code)
	if errors.Is(err, ErrNotFound) {
		out.Refused = pricing.ReasonUnknownCode
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("coupon: present %s: %w", out.Ref, err)
	}
	out.Ref = Mask(c.Code)
	def, u, err := s.context(ctx, c, customer)
	if err != nil {
		return out, fmt.Errorf("coupon: present %s: %w", out.Ref, err)
	}
	out.Offer = def.Offer
	out.Refused = refusal(c, def, u, customer, at)
	return out, nil
}

// context reads a code's definition and the customer's counts of it.
func (s *Service) context(ctx context.Context, c Code, customer string) (Definition, Uses, error) {
	def, err := s.definition(ctx, c.Definition)
	if err != nil {
		return def, Uses{}, err
	}
	u := Uses{Code: c.Code, Customer: customer}
	if c.PerCustomer > 0 && customer != "" {
		got, err := s.store.GetUses(ctx, c.Code, customer)
		switch {
		case err == nil:
			u = got
		case !errors.Is(err, ErrNotFound):
			return def, u, err
		}
	}
	return def, u, nil
}

// HoldRequest takes one use of a code at the till.
type HoldRequest struct {
	ID       string // the POS's ID for this use; a retry reuses it
	Code     string // as presented
	Customer string // empty for a customer without a card
	At       time.Time
}

// Hold takes one use of a code for a sale in progress, under the POS's
// ID: the use counts against the code's limits until Commit or Release.
// A code that cannot be used is a [*RefusedError] (matching ErrRefused)
// with pricing's reason, and stays refused on retry. Replaying a hold
// returns the original redemption.
func (s *Service) Hold(ctx context.Context, r HoldRequest) (Redemption, error) {
	fe := fields.List()
	if !textcheck.ID(r.ID) {
		fe.Add("id", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if r.Code == "" || len(r.Code) > 4*MaxCodeLength {
		fe.Add("code", "required, at most %d characters", MaxCodeLength)
	}
	if !textcheck.Label(r.Customer, textcheck.MaxID) {
		fe.Add("customer", "at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	checkTime(fe, "at", r.At)
	if err := fe.Err(); err != nil {
		return Redemption{}, err
	}
	at := r.At.UTC().Truncate(time.Microsecond)
	key := "hold:" + r.ID
	hash, _ := idem.Hash(struct{ Code, Customer string }{Normalize(r.Code), r.Customer})
	return s.redeem(ctx, key, hash, func() (Write, error) {
		c, err := s.lookup(ctx, r.Code)
		if errors.Is(err, ErrNotFound) {
			return Write{}, &RefusedError{pricing.ReasonUnknownCode}
		}
		if err != nil {
			return Write{}, err
		}
		def, u, err := s.context(ctx, c, r.Customer)
		if err != nil {
			return Write{}, err
		}
		if why := refusal(c, def, u, r.Customer, at); why != "" {
			return Write{}, &RefusedError{why}
		}
		c.Held++
		c.Version++
		w := Write{Code: &c, Redemption: &Redemption{ID: r.ID, Code: c.Code, Customer: r.Customer, State: StateHeld,
			Definition: c.Definition, HeldAt: at, Version: 1}}
		if c.PerCustomer > 0 {
			u.Held++
			u.Version++
			w.Uses = &u
		}
		return w, nil
	})
}

// Commit makes a held use final, on the purchase it paid for. Committing
// again with the same purchase returns the same redemption; a released
// hold is ErrHoldClosed.
func (s *Service) Commit(ctx context.Context, holdID, purchaseID string, at time.Time) (Redemption, error) {
	return s.close(ctx, holdID, purchaseID, at, StateCommitted)
}

// Release gives a held use back (the sale was abandoned or the coupon
// taken off). Releasing again returns the same redemption; a committed
// hold is ErrHoldClosed.
func (s *Service) Release(ctx context.Context, holdID string, at time.Time) (Redemption, error) {
	return s.close(ctx, holdID, "", at, StateReleased)
}

func (s *Service) close(ctx context.Context, holdID, purchaseID string, at time.Time, to State) (Redemption, error) {
	fe := fields.List()
	if !textcheck.ID(holdID) {
		fe.Add("holdId", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if to == StateCommitted && !textcheck.ID(purchaseID) {
		fe.Add("purchaseId", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	checkTime(fe, "at", at)
	if err := fe.Err(); err != nil {
		return Redemption{}, err
	}
	at = at.UTC().Truncate(time.Microsecond)
	verb := "commit:"
	if to == StateReleased {
		verb = "release:"
	}
	hash, _ := idem.Hash(struct{ Purchase string }{purchaseID})
	return s.redeem(ctx, verb+holdID, hash, func() (Write, error) {
		red, err := s.store.GetRedemption(ctx, holdID)
		if err != nil {
			return Write{}, err
		}
		if red.State != StateHeld {
			return Write{}, ErrHoldClosed
		}
		c, err := s.store.GetCode(ctx, red.Code)
		if err != nil {
			return Write{}, err
		}
		if c.Held < 1 {
			// The code was read after another till closed this hold (the
			// redemption before): a stale pair, not a state to write.
			return Write{}, ErrConflict
		}
		c.Held--
		if to == StateCommitted {
			c.Used++
		}
		c.Version++
		w := Write{Code: &c}
		if c.PerCustomer > 0 && red.Customer != "" {
			u, err := s.store.GetUses(ctx, red.Code, red.Customer)
			if err != nil {
				return Write{}, err
			}
			u.Held--
			if to == StateCommitted {
				u.Used++
			}
			u.Version++
			w.Uses = &u
		}
		red.State, red.Purchase, red.ClosedAt = to, purchaseID, at
		red.Version++
		w.Redemption = &red
		return w, nil
	})
}

// redeem runs one write under an idempotency key: replay a recorded
// result, else build the write and save it, retrying conflicts. A
// refusal or a closed hold is recorded, so a retry fails alike.
func (s *Service) redeem(ctx context.Context, key, hash string, build func() (Write, error)) (Redemption, error) {
	for range s.retries {
		if out, done, err := s.replay(ctx, key, hash); done {
			return decodeRedemption(out, err)
		}
		w, err := build()
		if errors.Is(err, ErrConflict) {
			continue // read across another till's write: read again
		}
		if failure, ok := encodeFailure(err); ok {
			serr := s.store.Save(ctx, Write{Operation: Operation{Key: key, Hash: hash, Result: failure}})
			switch {
			case errors.Is(serr, ErrAlreadyExists):
				continue // the request landed meanwhile: replay it
			case serr != nil:
				return Redemption{}, fmt.Errorf("coupon: %s: %w", key, serr)
			}
			return Redemption{}, fmt.Errorf("coupon: %s: %w", key, err)
		}
		if err != nil {
			return Redemption{}, fmt.Errorf("coupon: %s: %w", key, err)
		}
		var red Redemption
		if w.Redemption != nil {
			red = *w.Redemption
		}
		result, err := json.Marshal(red)
		if err != nil {
			return Redemption{}, fmt.Errorf("coupon: %s: %w", key, err)
		}
		w.Operation = Operation{Key: key, Hash: hash, Result: result}
		err = s.store.Save(ctx, w)
		switch {
		case err == nil:
			return red, nil
		case errors.Is(err, ErrConflict), errors.Is(err, ErrAlreadyExists):
			continue // re-read: another till moved the code, or this request landed
		default:
			return Redemption{}, fmt.Errorf("coupon: %s: %w", key, err)
		}
	}
	return Redemption{}, fmt.Errorf("coupon: %s: %w", key, ErrUnavailable)
}

func decodeRedemption(out []byte, err error) (Redemption, error) {
	if err != nil {
		return Redemption{}, err
	}
	var r Redemption
	if err := json.Unmarshal(out, &r); err != nil {
		return Redemption{}, fmt.Errorf("coupon: stored result unreadable: %w", err)
	}
	return r, nil
}

// VoidRequest withdraws a code (a leaked flyer code, a coupon sent to the
// wrong member): it can no longer be held. Holds already taken may still
// be committed or released.
type VoidRequest struct {
	ID   string // the request's own ID
	Code string
	At   time.Time
}

// Void withdraws a code. Voiding it again under the same ID returns the
// same result; an unknown code is a [*RefusedError] with
// pricing.ReasonUnknownCode.
func (s *Service) Void(ctx context.Context, r VoidRequest) error {
	fe := fields.List()
	if !textcheck.ID(r.ID) {
		fe.Add("id", "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if r.Code == "" || len(r.Code) > 4*MaxCodeLength {
		fe.Add("code", "required, at most %d characters", MaxCodeLength)
	}
	checkTime(fe, "at", r.At)
	if err := fe.Err(); err != nil {
		return err
	}
	hash, _ := idem.Hash(struct{ Code string }{Normalize(r.Code)})
	_, err := s.redeem(ctx, "void:"+r.ID, hash, func() (Write, error) {
		c, err := s.lookup(ctx, r.Code)
		if errors.Is(err, ErrNotFound) {
			return Write{}, &RefusedError{pricing.ReasonUnknownCode}
		}
		if err != nil {
			return Write{}, err
		}
		c.Void = true
		c.Version++
		return Write{Code: &c}, nil
	})
	return err
}

// ReleaseStale releases every hold taken before before that no till
// committed or released (a lane that crashed mid-sale), so its use of the
// code comes back, and returns how many it released. Each release is an
// ordinary Release under the hold's ID, so a sweep that stops midway is
// simply run again, and a till that commits a swept hold later gets
// ErrHoldClosed. before should leave tills time to finish (an hour, say).
func (s *Service) ReleaseStale(ctx context.Context, before, at time.Time) (int, error) {
	var ids []string
	for r, err := range s.store.OpenHolds(ctx, before) {
		if err != nil {
			return 0, fmt.Errorf("coupon: release stale holds: %w", err)
		}
		ids = append(ids, r.ID)
	}
	n := 0
	for _, id := range ids {
		_, err := s.Release(ctx, id, at)
		switch {
		case errors.Is(err, ErrHoldClosed):
			continue // committed meanwhile
		case err != nil:
			return n, err
		}
		n++
	}
	return n, nil
}
