package storedvalue

import (
	"errors"
	"fmt"

	"github.com/clientele-go/clientele/internal/fielderr"
)

// Business and validation errors. Match them with errors.Is.
var (
	// ErrInvalid is matched by every validation failure; the joined
	// *FieldError values name the fields.
	ErrInvalid = errors.New("storedvalue: invalid input")
	// ErrInsufficientFunds: a payment, hold or cash-out larger than the
	// spendable balance. *InsufficientFundsError carries the figures.
	ErrInsufficientFunds = errors.New("storedvalue: insufficient funds")
	// ErrRefused: the programme refuses the request (a top-up below the
	// minimum or above the balance cap, a cash-out the programme does not
	// allow, a refund larger than what is left of its payment).
	ErrRefused = errors.New("storedvalue: refused by the programme")
	// ErrHoldSettled: a commit or release of a hold already committed or
	// released the other way.
	ErrHoldSettled = errors.New("storedvalue: hold already settled")
	// ErrInvalidCode: a gift-card code that is malformed or fails its
	// check digit. The code itself is never quoted.
	ErrInvalidCode = errors.New("storedvalue: invalid code")
	// ErrCardState: a gift card used before its activation or activated
	// twice, or a punch card used outside its validity window, used up, or
	// transferred against its rule.
	ErrCardState = errors.New("storedvalue: card cannot be used so")
	// ErrWrongAccount: a request names an account of another type (a gift
	// card where a wallet is meant) or another currency.
	ErrWrongAccount = errors.New("storedvalue: wrong account for this request")
)

// FieldError reports one invalid field, by path; it matches ErrInvalid and
// never quotes the value.
type FieldError = fielderr.Error

func fieldList() *fielderr.List { return fielderr.NewList("storedvalue", ErrInvalid) }

func fieldErr(field, problem string) error {
	return fielderr.New("storedvalue", ErrInvalid, field, problem)
}

// InsufficientFundsError reports a request for more than the spendable
// balance, in minor units. It matches ErrInsufficientFunds.
type InsufficientFundsError struct {
	Requested, Available int64
}

// Error implements error.
func (e *InsufficientFundsError) Error() string {
	return fmt.Sprintf("storedvalue: insufficient funds: requested %d, available %d (minor units)", e.Requested, e.Available)
}

// Is makes the error match ErrInsufficientFunds.
func (e *InsufficientFundsError) Is(target error) bool { return target == ErrInsufficientFunds }
