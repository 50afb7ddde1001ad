// Package loopback tells whether an address stays on this machine, for the
// settings that are safe only there: plain HTTP (API keys and answers travel
// in clear) and the runtime profiles (they reveal a process's memory).
package loopback

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Host reports whether host, a name or an IP address without a port, is this
// machine's loopback: "localhost" or an address of 127.0.0.0/8 or ::1. Any
// other name is not, whatever it resolves to now: the answer must not depend
// on a resolver an attacker may influence.
func Host(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Address reports whether addr, a host:port, names a loopback host (Host).
func Address(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && Host(host)
}

// Actual reports whether addr, the address a connection reached or a listener bound once any name was resolved, is
// this machine's loopback. Host and Address decide by name, before it is resolved; "localhost" is a name, which a
// hosts file without it, or a DNS server through a search domain, may resolve to an address other machines reach.
func Actual(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp != nil && tcp.IP.IsLoopback()
}

// DialFunc is the dialer of an http.Transport (its DialContext).
type DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// Dial wraps dial (nil: a net.Dialer's) for a client that Host let reach a server over plain http: a connection
// that reached another machine (not Actual) is closed before anything is sent on it. The name Host accepted may
// resolve elsewhere, and a proxy of the client's transport may be anywhere: what the client sends in clear (an API
// key, an enrollment secret) would cross the network.
func Dial(dial DialFunc) DialFunc {
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if !Actual(conn.RemoteAddr()) {
			conn.Close()
			return nil, fmt.Errorf("plain http reached %s for %s, not on this machine: use https", conn.RemoteAddr(), addr)
		}
		return conn, nil
	}
}

// Transport is rt (nil: http.DefaultTransport) made to dial this machine only (Dial), for a client that reaches its
// server over plain http; a RoundTripper other than an *http.Transport does not dial, and is returned as it is: the
// caller's to keep on this machine.
func Transport(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	t, ok := rt.(*http.Transport)
	if !ok {
		return rt
	}
	t = t.Clone()
	t.DialContext = Dial(t.DialContext)
	return t
}
