package procstop

import (
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// start starts a shell script, failing the test if it cannot.
func start(t *testing.T, script string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command("sh", "-c", script)
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting sh: %v", err)
	}
	return cmd
}

// A process that heeds the signal is not waited for beyond its exit, and
// is not killed: it exited of the signal.
func TestStopReturnsWhenTheProcessExits(t *testing.T) {
	cmd := start(t, "exec sleep 30")
	began := time.Now()
	stop(cmd, syscall.SIGTERM, 20*time.Second)
	if took := time.Since(began); took > 10*time.Second {
		t.Fatalf("Stop took %v for a process that exits on SIGTERM", took)
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("the process ended with %v, want SIGTERM", cmd.ProcessState)
	}
}

// A process that ignores the signal is killed once the grace period has
// passed, and not before.
func TestStopKillsAProcessThatIgnoresTheSignal(t *testing.T) {
	cmd := start(t, `trap "" TERM; exec sleep 30`)
	time.Sleep(200 * time.Millisecond) // let the shell set the trap
	began := time.Now()
	stop(cmd, syscall.SIGTERM, 500*time.Millisecond)
	if took := time.Since(began); took < 500*time.Millisecond || took > 10*time.Second {
		t.Fatalf("Stop took %v, want the grace period of 500ms and then the kill", took)
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the process ended with %v, want SIGKILL", cmd.ProcessState)
	}
}
