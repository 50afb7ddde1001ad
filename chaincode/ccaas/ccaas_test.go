package ccaas_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/ccaas"
)

func TestProfilesAreOffByDefault(t *testing.T) {
	t.Setenv(ccaas.ProfilesEnv, "")
	addr, stop, err := ccaas.StartProfiles()
	require.NoError(t, err)
	assert.Empty(t, addr, "no listener without the variable")
	assert.NoError(t, stop())
}

func TestProfilesAreServedOnTheLoopbackAddressSet(t *testing.T) {
	// A free loopback port, so the test knows where to look.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	want := probe.Addr().String()
	require.NoError(t, probe.Close())
	t.Setenv(ccaas.ProfilesEnv, want)

	addr, stop, err := ccaas.StartProfiles()
	require.NoError(t, err)
	assert.Equal(t, want, addr)
	// What the listener serves is internal/profiling's to test; here: that it is there, then gone.
	resp, err := http.Get("http://" + addr + "/debug/pprof/")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, stop())
	_, err = http.Get("http://" + addr + "/debug/pprof/")
	assert.Error(t, err, "stopped")
}

func TestProfilesRefuseANonLoopbackAddress(t *testing.T) {
	t.Setenv(ccaas.ProfilesEnv, "0.0.0.0:6060")
	_, _, err := ccaas.StartProfiles()
	assert.ErrorContains(t, err, ccaas.ProfilesEnv)
	assert.ErrorContains(t, err, "loopback")
}
