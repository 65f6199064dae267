package loyalty

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/clientele-go/clientele/customer"
	"github.com/clientele-go/clientele/internal/daterange"
	"github.com/clientele-go/clientele/internal/idem"
	"github.com/clientele-go/clientele/internal/textcheck"
)

// The service trusts only facts the customer service recorded (DESIGN §2).
// A purchase or return handed to Earn or Return is checked against the
// record under its ID: anything the customer service never recorded, or
// recorded differently (a line total edited, another customer's card), is
// refused and writes nothing. The points then go to whoever holds the
// recorded purchase now, following merges, so an offline lane's queued
// copy and the copy the customer store holds after a merge both earn, once.

// Trust errors: a refusal matches one of them and ErrUntrusted.
var (
	// ErrUntrusted is matched by every refusal of a fact the customer
	// service did not record as presented.
	ErrUntrusted = errors.New("loyalty: not a recorded fact")
	// ErrNotRecorded: no purchase or return with the ID was recorded.
	ErrNotRecorded = fmt.Errorf("%w: never recorded by the customer service", ErrUntrusted)
	// ErrNotAsRecorded: the request differs from the record under its ID
	// (another customer, other lines, amounts or time).
	ErrNotAsRecorded = fmt.Errorf("%w: differs from the record", ErrUntrusted)
)

// recordedPurchase returns the recorded purchase p claims to be, the
// customer who holds it now, and the hash that keys its earn: the
// purchase as recorded without its customer, so that the lane's copy and
// the copy reassigned by a merge are one request.
func (s *Service) recordedPurchase(ctx context.Context, p customer.Purchase) (customer.Purchase, customer.Customer, string, error) {
	rec, holder, err := s.purchaseHolder(ctx, p.ID)
	switch {
	case errors.Is(err, customer.ErrNotFound) && rec.ID == "":
		return customer.Purchase{}, customer.Customer{}, "", ErrNotRecorded
	case err != nil:
		return customer.Purchase{}, customer.Customer{}, "", err
	}
	rec.Time = storeTime(rec.Time)
	if !samePurchase(&p, &rec) {
		return customer.Purchase{}, customer.Customer{}, "", ErrNotAsRecorded
	}
	want, err := ownerlessHash(rec)
	if err != nil {
		return customer.Purchase{}, customer.Customer{}, "", err
	}
	if err := holderEarns(rec, holder); err != nil {
		return customer.Purchase{}, customer.Customer{}, "", err
	}
	if p.CustomerID != rec.CustomerID {
		// A copy queued before a merge names the duplicate; any other
		// customer is not the one who bought.
		claimed, err := s.customers.Get(ctx, p.CustomerID)
		if err != nil || claimed.ID != holder.ID {
			return customer.Purchase{}, customer.Customer{}, "", fmt.Errorf("customer: %w", ErrNotAsRecorded)
		}
	}
	return rec, holder, want, nil
}

// purchaseHolder reads a recorded purchase and the customer holding it
// now: in one call where Customers offers it (PurchaseHolders), else as
// two. A purchase never recorded comes back zero with customer.ErrNotFound.
func (s *Service) purchaseHolder(ctx context.Context, id string) (customer.Purchase, customer.Customer, error) {
	if ph, ok := s.customers.(PurchaseHolders); ok {
		p, c, err := ph.PurchaseHolder(ctx, id)
		if err != nil && p.ID != "" {
			err = fmt.Errorf("customer of purchase %s: %w", id, err)
		}
		return p, c, err
	}
	p, err := s.customers.Purchase(ctx, id)
	if err != nil {
		return customer.Purchase{}, customer.Customer{}, err
	}
	if p.CustomerID == "" {
		return p, customer.Customer{}, nil
	}
	c, err := s.customers.Get(ctx, p.CustomerID)
	if err != nil {
		return p, customer.Customer{}, fmt.Errorf("customer of purchase %s: %w", id, err)
	}
	return p, c, nil
}

func ownerlessHash(p customer.Purchase) (string, error) {
	p.CustomerID = ""
	p.Time = storeTime(p.Time)
	return purchaseHash(&p)
}

// recordedReturn returns the recorded return ret claims to be.
func (s *Service) recordedReturn(ctx context.Context, ret customer.Return) (customer.Return, error) {
	rec, err := s.customers.Return(ctx, ret.ID)
	switch {
	case errors.Is(err, customer.ErrNotFound):
		return customer.Return{}, ErrNotRecorded
	case err != nil:
		return customer.Return{}, err
	}
	got, err := ownerlessReturnHash(ret)
	if err != nil {
		return customer.Return{}, &FieldError{Field: "return", Problem: err.Error()}
	}
	want, err := ownerlessReturnHash(rec)
	if err != nil {
		return customer.Return{}, err
	}
	if got != want {
		return customer.Return{}, ErrNotAsRecorded
	}
	rec.Time = storeTime(rec.Time)
	return rec, nil
}

// ownerlessReturnHash is the customer service's own request hash of a
// return: without its customer (the service fills that in from the
// purchase) and at the microsecond stores keep.
func ownerlessReturnHash(r customer.Return) (string, error) {
	r = r.Clone()
	r.CustomerID = ""
	r.Time = storeTime(r.Time)
	return idem.Hash(r)
}

// checkID requires an ID to be 1 to textcheck.MaxID (128) bytes of valid
// UTF-8 without control characters, the rule the customer service keeps
// too: a key a store can index and a replay can match byte for byte
// (invalid UTF-8 comes back altered from many stores).
func checkID(field, id string) error {
	switch {
	case id == "":
		return &FieldError{Field: field, Problem: "required"}
	case !textcheck.ID(id):
		return &FieldError{Field: field, Problem: fmt.Sprintf("must be at most %d bytes of UTF-8 without control characters", textcheck.MaxID)}
	}
	return nil
}

// checkTime requires a request time, if given, to lie in the range every
// package accepts (internal/daterange: 1850 to 2199), so that no stored
// result holds a time JSON cannot encode.
func checkTime(field string, t time.Time) error {
	if t.IsZero() || daterange.Contains(t) {
		return nil
	}
	return &FieldError{Field: field, Problem: fmt.Sprintf("must be between %d and %d", daterange.MinYear, daterange.MaxYear)}
}

// checkOptionalID is checkID for an ID that may be left out.
func checkOptionalID(field, id string) error {
	if id == "" {
		return nil
	}
	return checkID(field, id)
}

// samePurchase reports whether a is b as recorded, whoever holds it:
// every field but the customer, amounts compared as numbers (a store may
// give 49.9 for 49.90) and times as instants at the microsecond stores
// keep. It is the comparison the two purchases' hashes would make, without
// encoding either (the earn's hot path); a test pins the fields it knows.
func samePurchase(a, b *customer.Purchase) bool {
	if a.ID != b.ID || a.Store != b.Store || a.Channel != b.Channel || a.Staff != b.Staff ||
		!storeTime(a.Time).Equal(storeTime(b.Time)) || a.Currency != b.Currency ||
		!a.OrderDiscount.Equal(b.OrderDiscount) || !a.Tax.Equal(b.Tax) || len(a.Lines) != len(b.Lines) {
		return false
	}
	for i := range a.Lines {
		x, y := &a.Lines[i], &b.Lines[i]
		if x.SKU != y.SKU || x.Name != y.Name || x.Category != y.Category || x.Brand != y.Brand ||
			!slices.Equal(x.Tags, y.Tags) || !x.Quantity.Equal(y.Quantity) || !x.UnitPrice.Equal(y.UnitPrice) ||
			!x.Discount.Equal(y.Discount) || !x.Total.Equal(y.Total) {
			return false
		}
	}
	return true
}
