// Package loopbacktest helps test the clients that may reach a server over plain http only on this machine
// (package loopback).
package loopbacktest

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/deltaledger/deltaledger/internal/loopback"
)

// farConn is a connection that appears to have reached another machine; it records what is written on it.
type farConn struct {
	net.Conn
	sent *recorder
}

func (c farConn) RemoteAddr() net.Addr { return &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 443} }

func (c farConn) Write(b []byte) (int, error) {
	c.sent.write(b)
	return len(b), nil
}

type recorder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (r *recorder) write(b []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.b.Write(b)
}

// Far returns a dialer whose connections reach another machine (192.0.2.7), as "localhost" would once a hosts
// file without it or a DNS server resolved it elsewhere, and what was sent on them so far: nothing, from a client
// that keeps plain http on this machine.
func Far(t testing.TB) (dial loopback.DialFunc, sent func() string) {
	rec := &recorder{}
	dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		local, remote := net.Pipe()
		t.Cleanup(func() { local.Close(); remote.Close() })
		return farConn{local, rec}, nil
	}
	return dial, func() string {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return rec.b.String()
	}
}
