package profiling_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/profiling"
)

func TestOnlyLoopbackAddressesAreAccepted(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:6060", "localhost:6060", "[::1]:6060", "127.0.0.1:0"} {
		assert.NoError(t, profiling.CheckAddress(ok), ok)
	}
	for _, bad := range []string{"0.0.0.0:6060", ":6060", "10.0.0.1:6060", "example.com:6060", "127.0.0.1", ""} {
		assert.ErrorContains(t, profiling.CheckAddress(bad), "loopback", bad)
		_, _, err := profiling.Serve(bad)
		assert.Error(t, err, "Serve refuses %q without listening", bad)
	}
}

func TestServeServesProfilesUntilStopped(t *testing.T) {
	addr, stop, err := profiling.Serve("127.0.0.1:0")
	require.NoError(t, err)
	resp, err := http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "goroutine profile")

	resp, err = http.Get("http://" + addr + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "only /debug/pprof/ is served")

	require.NoError(t, stop())
	_, err = http.Get("http://" + addr + "/debug/pprof/")
	assert.Error(t, err, "the listener closes when stopped")
}
