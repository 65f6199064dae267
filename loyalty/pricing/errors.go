package pricing

import (
	"errors"

	"github.com/clientele-go/clientele/internal/fielderr"
)

// ErrInvalid is matched by every validation failure of rules, an offer or
// a basket; the joined [*FieldError] values name the fields.
var ErrInvalid = errors.New("pricing: invalid input")

// FieldError reports one invalid field at its path ("promotions[2].percent",
// "basket.items[0].unitPrice"); it matches ErrInvalid. It never quotes the
// value, so it is safe to log.
type FieldError = fielderr.Error

// fields makes this package's field errors.
var fields = fielderr.NewKind("pricing", ErrInvalid)
