package profiling

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// farListener is a loopback listener that says it is bound to another machine's address, as a listener on the
// address a hosts file or DNS server resolved "localhost" to would be.
type farListener struct{ net.Listener }

func (farListener) Addr() net.Addr { return &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 6060} }

// A listener bound elsewhere than the loopback, whatever name CheckAddress accepted, is closed unserved.
func TestProfilesAreNotServedOnAListenerBoundElsewhere(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	_, stop, err := serve("localhost:6060", farListener{ln})
	if stop != nil {
		defer stop()
	}
	assert.ErrorContains(t, err, `"localhost:6060" is bound to 192.0.2.7:6060, not this machine's loopback`)
	_, err = (&http.Client{Timeout: 5 * time.Second}).Get("http://" + ln.Addr().String() + "/debug/pprof/")
	assert.Error(t, err, "the listener bound elsewhere is closed, serving nothing")
}
