// Package procstop stops a server a test started: it asks the process to
// shut down with a signal, and kills it if it has not done so after a grace
// period, so that a hung server never hangs the test binary that started
// it (internal/pgtest's PostgreSQL, the monitoring e2e test's Prometheus).
package procstop

import (
	"os"
	"os/exec"
	"time"
)

// Grace is how long a process may take to shut down before it is killed.
const Grace = 20 * time.Second

// Stop sends sig to the started process of cmd, waits until it exits or
// Grace passes, kills it in the latter case, and returns once it has exited
// (cmd.Wait has returned). Errors are ignored: the process may have exited
// already, and a test that is stopping has nothing to do about them.
func Stop(cmd *exec.Cmd, sig os.Signal) {
	stop(cmd, sig, Grace)
}

// stop is Stop with the grace period given, for its tests.
func stop(cmd *exec.Cmd, sig os.Signal, grace time.Duration) {
	_ = cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
}
