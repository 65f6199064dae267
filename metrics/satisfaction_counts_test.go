package metrics

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNPSFromCountsRefusesNegativeCounts(t *testing.T) {
	_, err := NPSFromCounts(10, -1, 3)
	require.ErrorIs(t, err, ErrInvalidArgument)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "passives", fe.Field)

	r, err := NPSFromCounts(50, 30, 20)
	require.NoError(t, err)
	assert.InDelta(t, 30.0, r.Score, 1e-9)
	assert.Equal(t, 100, r.N)
}
