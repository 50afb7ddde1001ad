// Package servicetest serves a gateway service on a loopback port for tests,
// the unit tests' over a fake ledger and the end-to-end tests' over the real
// network alike.
package servicetest

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/service"
)

// shutdownWait bounds how long stop waits for the service to finish: longer
// than a graceful shutdown may take (timeouts.shutdown, 30 s by default), so
// that only a shutdown that hangs fails the test, and not the whole run.
const shutdownWait = time.Minute

// Start serves svc on a free loopback port until stop is called or the test
// ends. It returns the service's URL and stop, which cancels the service and
// returns what ServeListener returned; calling stop again returns the same.
func Start(t testing.TB, svc *service.Service) (url string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening on a loopback port: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.ServeListener(ctx, ln) }()
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case stopErr = <-done:
			case <-time.After(shutdownWait):
				stopErr = errors.New("the gateway's shutdown did not finish in " + shutdownWait.String())
			}
		})
		return stopErr
	}
	t.Cleanup(func() { _ = stop() })
	return "https://" + ln.Addr().String(), stop
}
