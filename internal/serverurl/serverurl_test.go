package serverurl_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/serverurl"
)

// A URL with a password is refused, and a URL that does not parse is told by its reason: neither error quotes the
// password (url.Parse's would).
func TestParseNeverQuotesAPassword(t *testing.T) {
	for _, bad := range []string{"https://alice:s3cret@host:7054", "https://:s3cret@host", "http://alice@host",
		"https://alice:s3cret@host:port", "https://alice:s3cret@host/%zz", "ftp://alice:s3cret@host"} {
		_, err := serverurl.Parse(bad)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "s3cret", bad)
	}
	_, err := serverurl.Parse("https://alice:s3cret@host:7054")
	assert.ErrorIs(t, err, serverurl.ErrUserInfo)
	u, err := serverurl.Parse("https://127.0.0.1:7054/prefix")
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:7054", u.Host)
}
