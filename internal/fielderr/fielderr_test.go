package fielderr_test

import (
	"errors"
	"testing"

	"github.com/clientele-go/clientele/internal/errtree"
	"github.com/clientele-go/clientele/internal/fielderr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errInvalid = errors.New("pkg: invalid input")

func TestListJoinsEveryProblem(t *testing.T) {
	k := fielderr.NewKind("pkg", errInvalid)
	l := k.List()
	require.NoError(t, l.Err())
	l.Add("a[0].b", "must be %d or more", 3)
	l.Add("c", "required")
	err := l.Err()
	require.ErrorIs(t, err, errInvalid)
	assert.Equal(t, 2, l.Len())
	all := errtree.All[*fielderr.Error](err)
	require.Len(t, all, 2)
	assert.Equal(t, "a[0].b", all[0].Field)
	assert.Equal(t, "pkg: a[0].b: must be 3 or more", all[0].Error())
	assert.NotErrorIs(t, k.New("x", "y"), errors.New("pkg: invalid input"), "matches its own sentinel only")
}
