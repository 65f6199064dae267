package errtree_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clientele-go/clientele/internal/errtree"
)

type fieldErr struct{ field string }

func (e *fieldErr) Error() string { return e.field }
func (e *fieldErr) Unwrap() error { return errors.ErrUnsupported }

func TestAll(t *testing.T) {
	a, b, c := &fieldErr{"a"}, &fieldErr{"b"}, &fieldErr{"c"}
	err := errors.Join(a, fmt.Errorf("ctx: %w", errors.Join(b, errors.New("plain"))), nil, c)
	assert.Equal(t, []*fieldErr{a, b, c}, errtree.All[*fieldErr](err))
	assert.Empty(t, errtree.All[*fieldErr](nil))
	assert.Empty(t, errtree.All[*fieldErr](errors.New("plain")))
}
