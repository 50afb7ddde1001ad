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

// A password url.Parse does not see as one is still never kept or quoted: one with a character that ends the host
// part ('/', '?', '#') leaves "user:pass" read as a host and port (whose error quoted the "port") or the rest as a
// path (accepted, then quoted by every error naming the URL); a malformed escape in it was quoted by its error; an
// opaque "https:user:pass@host" parsed without a host. Any '@' is refused as user information, and a reason never
// quotes a part of the URL (the port, an escape, a host's character). IPv6 hosts, zones and a path prefix parse.
func TestParseQuotesNoPartOfAPasswordItDoesNotSeeAsOne(t *testing.T) {
	for _, bad := range []string{"https://alice:s3cret/x@host", "https://alice:s3cret?x@host", "https://alice:s3cret#x@host",
		"https://alice:12345/s3cret@host", "https://alice:s3%zzcret@host", "https:alice:s3cret@host", "https://alice:s3cret@[::1]:7054",
		"https://alice%3As3cret@host", "https://alice:s3cret%40@host", "https://alice:s3cret@@host", "HTTPS://alice:s3cret@host",
		"unix://alice:s3cret@/run/gw.sock", "https://host/%40s3cret@"} {
		_, err := serverurl.Parse(bad)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "s3cret", bad)
		assert.NotContains(t, err.Error(), "12345", bad)
		assert.ErrorIs(t, err, serverurl.ErrUserInfo, bad)
	}
	for _, bad := range []string{"https://host:s3cret", "https://ho%zzst", "https://hoüst:7054/%zz", "https://s3cret host", "https://[::1"} {
		_, err := serverurl.Parse(bad)
		require.Error(t, err, bad)
		assert.NotContains(t, err.Error(), "s3cret", bad)
		assert.NotContains(t, err.Error(), "%zz", bad)
		assert.NotContains(t, err.Error(), "ü", bad)
	}
	for raw, host := range map[string]string{"https://[::1]:7054": "[::1]:7054", "https://[fe80::1%25eth0]:7054/gw": "[fe80::1%eth0]:7054",
		"https://gw.example/prefix/": "gw.example"} {
		u, err := serverurl.Parse(raw)
		require.NoError(t, err, raw)
		assert.Equal(t, host, u.Host, raw)
	}
}
