package coupon

import (
	"errors"
	"strconv"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/internal/jsonstrict"
	"github.com/clientele-go/clientele/internal/money"
	"github.com/clientele-go/clientele/internal/textcheck"
	"github.com/clientele-go/clientele/loyalty/pricing"
)

// MaxUses bounds a code's total and per-customer uses.
const MaxUses = 1_000_000_000

// Definition is what a coupon gives and how often a code of it may be
// used. Definitions are immutable once stored: a new offer is a new
// definition.
type Definition struct {
	ID       string        `json:"id"`
	Currency string        `json:"currency"` // ISO 4217, the offer's amounts
	Offer    pricing.Offer `json:"offer"`
	// UsesPerCode is how many times one code may be used in all: 1 for
	// unique codes, many for a generic flyer code.
	UsesPerCode int64 `json:"usesPerCode"`
	// PerCustomer bounds the uses of one code by one customer; 0: no
	// bound. A code with a bound needs a customer on the sale.
	PerCustomer int64 `json:"perCustomer,omitempty"`
}

// Validate reports every problem at once, each a [*FieldError] at its
// path.
func (d Definition) Validate() error { return d.validate("") }

func (d Definition) validate(path string) error {
	fe := fields.List()
	at := func(f string) string {
		if path == "" {
			return f
		}
		return path + "." + f
	}
	if !textcheck.ID(d.ID) {
		fe.Add(at("id"), "required, at most %d bytes of valid UTF-8 without control characters", textcheck.MaxID)
	}
	if _, err := money.MinorUnits(d.Currency); err != nil {
		fe.Add(at("currency"), "must be an ISO 4217 code")
	} else if err := d.Offer.Validate(d.Currency, at("offer")); err != nil {
		for _, e := range errtree.All[*pricing.FieldError](err) {
			fe.Add(e.Field, "%s", e.Problem)
		}
	}
	if d.UsesPerCode < 1 || d.UsesPerCode > MaxUses {
		fe.Add(at("usesPerCode"), "must be between 1 and %d", MaxUses)
	}
	if d.PerCustomer < 0 || d.PerCustomer > MaxUses {
		fe.Add(at("perCustomer"), "must be between 0 and %d", MaxUses)
	}
	return fe.Err()
}

// MaxDefinitionsJSON bounds a definitions document.
const MaxDefinitionsJSON = 1 << 20

// ParseDefinitions decodes a JSON array of definitions strictly (keys
// given twice, unknown keys and trailing data are errors, each at its
// path) and validates every one, reporting every problem at once.
func ParseDefinitions(data []byte) ([]Definition, error) {
	var defs []Definition
	if probs := jsonstrict.Decode(data, &defs, "definitions", MaxDefinitionsJSON); len(probs) > 0 {
		errs := make([]error, len(probs))
		for i, p := range probs {
			errs[i] = fields.New(p.Path, p.Problem)
		}
		return nil, errors.Join(errs...)
	}
	var errs []error
	seen := map[string]int{}
	for i, d := range defs {
		path := "[" + strconv.Itoa(i) + "]"
		if j, dup := seen[d.ID]; dup && d.ID != "" {
			errs = append(errs, fields.New(path+".id", "same ID as ["+strconv.Itoa(j)+"]"))
		}
		seen[d.ID] = i
		if err := d.validate(path); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return defs, nil
}
