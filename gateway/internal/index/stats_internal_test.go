package index

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRelativeIsIntegerAndRoundsDown(t *testing.T) {
	assert.Equal(t, int64(1000), relative(1375, 1375))
	assert.Equal(t, int64(2182), relative(3001, 1375), "2182.5")
	assert.Equal(t, int64(666), relative(99999, 150000), "666.66")
	assert.Equal(t, int64(0), relative(0, 10))
	assert.Equal(t, int64(1000), relative(math.MaxInt64/7, math.MaxInt64/7), "no overflow of price × 1000")
	assert.Equal(t, int64(math.MaxInt64/2), relative(math.MaxInt64, 2000))
	assert.Equal(t, int64(math.MaxInt64), relative(math.MaxInt64, 1), "saturates")
}
