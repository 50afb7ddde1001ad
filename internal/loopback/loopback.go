// Package loopback tells whether an address stays on this machine, for the
// settings that are safe only there: plain HTTP (API keys and answers travel
// in clear) and the runtime profiles (they reveal a process's memory).
package loopback

import (
	"net"
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
