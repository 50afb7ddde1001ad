package validate

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIntRange(t *testing.T) {
	for s, want := range map[string]int{"1": 1, "72": 72, "720": 720} {
		v, err := IntRange("hours", s, 1, 720)
		require.NoError(t, err, s)
		assert.Equal(t, want, v)
	}
	v, err := IntRange("n", "0", 0, 5)
	require.NoError(t, err)
	assert.Equal(t, 0, v)
	for _, bad := range []string{"", "0", "721", "-1", "+5", "072", "7.5", "1e2", " 7", "7 ", "99999999999999999999"} {
		_, err := IntRange("hours", bad, 1, 720)
		requireInvalid(t, err, "hours")
	}
}

// FuzzIntRange checks that accepted values are in range and print back to
// exactly the input.
func FuzzIntRange(f *testing.F) {
	for _, s := range []string{"1", "72", "720", "0", "007", "-1", "+1", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := IntRange("hours", s, 1, 720)
		if err != nil {
			return
		}
		if v < 1 || v > 720 || strconv.Itoa(v) != s {
			t.Fatalf("accepted %q as %d", s, v)
		}
	})
}
