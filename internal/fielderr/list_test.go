package fielderr

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListReportsEveryProblemMatchingTheSentinel(t *testing.T) {
	bad := errors.New("bad")
	l := NewList("pkg", bad)
	require.NoError(t, l.Err())
	l.Add("a.b", "must be %d", 3)
	l.Add("c", "missing")
	err := l.Err()
	require.ErrorIs(t, err, bad)
	var fe *Error
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "a.b", fe.Field)
	assert.Equal(t, "pkg: a.b: must be 3\npkg: c: missing", err.Error())
	assert.NotErrorIs(t, New("pkg", nil, "x", "y"), bad)
}
