package loopback_test

import (
	"net"
	"testing"

	"github.com/deltaledger/deltaledger/internal/loopback"
)

func TestHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.8.9.10": true, "::1": true, "[::1]": true,
		"": false, "0.0.0.0": false, "::": false, "10.0.0.1": false, "192.168.1.2": false, "gateway.example": false,
		"localhost.example": false, "127.0.0.1.nip.io": false, "::ffff:10.0.0.1": false,
	} {
		if got := loopback.Host(host); got != want {
			t.Errorf("Host(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestAddress(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:6060": true, "localhost:80": true, "[::1]:443": true,
		"127.0.0.1": false, ":6060": false, "0.0.0.0:6060": false, "10.1.2.3:6060": false,
	} {
		if got := loopback.Address(addr); got != want {
			t.Errorf("Address(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestActual(t *testing.T) {
	for _, c := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 27180}, true},
		{&net.TCPAddr{IP: net.IPv4(127, 9, 9, 9), Port: 27180}, true},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 27180}, true},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 27180}, false},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 27180}, false},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 27180}, false},
		{&net.UnixAddr{Name: "/tmp/gw.sock", Net: "unix"}, false},
		{nil, false},
	} {
		if got := loopback.Actual(c.addr); got != c.want {
			t.Errorf("Actual(%v) = %v, want %v", c.addr, got, c.want)
		}
	}
}
