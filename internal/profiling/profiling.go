// Package profiling serves Go's runtime profiles (net/http/pprof) on a
// listener of their own, for the REST gateway (debug.pprofListen) and the
// chaincode service (DLCC_PPROF_LISTEN) alike: one rule for the address, one
// set of handlers, never on a listener that serves anything else.
package profiling

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/deltaledger/deltaledger/internal/loopback"
)

// CheckAddress accepts a loopback host:port only: profiles reveal the
// process's memory (keys, requests), so they must not be reachable from
// another machine. The caller names its setting in the error it returns.
func CheckAddress(addr string) error {
	if !loopback.Address(addr) {
		return fmt.Errorf("must be a loopback host:port such as 127.0.0.1:6060 (profiles reveal the process's memory), got %q", addr)
	}
	return nil
}

// Serve checks addr, listens on it and serves the profiles under
// /debug/pprof/ until stop is called. It returns the address actually bound
// (addr may ask for port 0), which must be a loopback one too: CheckAddress
// takes "localhost" by name, which a hosts file or DNS server may resolve to
// an address other machines reach.
func Serve(addr string) (bound string, stop func() error, err error) {
	if err := CheckAddress(addr); err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, err
	}
	return serve(addr, ln)
}

// serve serves the profiles on ln, which Serve bound to addr, if ln is bound to the loopback.
func serve(addr string, ln net.Listener) (bound string, stop func() error, err error) {
	if !loopback.Actual(ln.Addr()) {
		ln.Close()
		return "", nil, fmt.Errorf("%q is bound to %s, not this machine's loopback (the name resolved elsewhere): profiles reveal the process's memory", addr, ln.Addr())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return ln.Addr().String(), srv.Close, nil
}
