package bench

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/procfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// processCPU counts a process under its role while it is the process its
// PID file recorded, and not once its PID may belong to another: here the
// test's own process stands for a peer, then for one whose start time
// differs.
func TestProcessCPUReadsTheProcessesOfThePIDFiles(t *testing.T) {
	sum := sha256.Sum256(nil)
	for range 200_000 { // some CPU time to count
		sum = sha256.Sum256(sum[:])
	}
	self, err := procfs.Self()
	require.NoError(t, err)
	st, err := self.Stat()
	require.NoError(t, err)

	cfg := &fabricnet.Config{Root: t.TempDir(), Orgs: []fabricnet.Org{{Key: "shanghai"}}}
	require.NoError(t, os.MkdirAll(filepath.Dir(cfg.PIDFile("x")), 0o755))
	pidFile := func(name string, start uint64) {
		line := fmt.Sprintf("%d %d boot /bin/peer\n", os.Getpid(), start)
		require.NoError(t, os.WriteFile(cfg.PIDFile(name), []byte(line), 0o644))
	}
	pidFile("peer-shanghai", st.Starttime)
	pidFile("orderer-shanghai", st.Starttime+1)

	cpu, err := newProcessCPU(cfg)
	require.NoError(t, err)
	got := cpu.read()
	assert.Positive(t, got["peer"])
	assert.GreaterOrEqual(t, got["peer"], got[RoleClient], "the same process, read after the client")
	assert.NotContains(t, got, "orderer", "a PID file whose start time is not the process's")
	assert.Empty(t, got.since(got), "nothing used between two equal readings")
}
