package ledgererr

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWireFormRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		err  *Error
	}{
		{"field", Invalid("contentHash", "must be 64 lowercase hexadecimal characters, got %d", 3)},
		{"nested field", Invalid("scope.regions[1]", "must be one of shanghai, jiangsu, zhejiang, anhui")},
		{"not found", NotFoundf("asset %q does not exist", "A-1")},
		{"forbidden", Forbiddenf("caller holds none of the roles: operator")},
		{"conflict with colon", Conflictf("trade T1: state is PAID, want ACCEPTED")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wrapped := "endorsement failure: chaincode response 500, " + tc.err.Error()
			got, ok := Parse(wrapped)
			require.True(t, ok)
			assert.Equal(t, tc.err, got)
		})
	}
}

func TestParseWithoutCode(t *testing.T) {
	_, ok := Parse("rpc error: code = Unavailable desc = connection refused")
	assert.False(t, ok)
}

func TestCodeOf(t *testing.T) {
	assert.Equal(t, NotFound, CodeOf(NotFoundf("x")))
	assert.Equal(t, Internal, CodeOf(errors.New("boom")))
	wrapped := Internalf(errors.New("disk"), "reading %s", "k")
	assert.Equal(t, Internal, CodeOf(wrapped))
	assert.Contains(t, wrapped.Error(), "INTERNAL: reading k: disk")
}
