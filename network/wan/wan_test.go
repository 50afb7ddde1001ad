package wan

import (
	"bufio"
	"io"
	"net"
	"testing"
	"time"
)

// echo serves a line echo on loopback and returns its address.
func echo(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
		}
	}()
	return ln.Addr().String()
}

func link(t *testing.T, target string, delay time.Duration) *Link {
	t.Helper()
	l, err := Listen("127.0.0.1:0", target, delay)
	if err != nil {
		t.Fatal(err)
	}
	go l.Serve()
	t.Cleanup(func() { l.Close() })
	return l
}

// dial connects to the link; the connection is closed when the test ends.
func dial(t *testing.T, l *Link) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// roundTrip sends a line through c and reads it back, returning how long that took.
func roundTrip(t *testing.T, c net.Conn, r *bufio.Reader) time.Duration {
	t.Helper()
	start := time.Now()
	if _, err := c.Write([]byte("ping\n")); err != nil {
		t.Fatal(err)
	}
	line, err := r.ReadString('\n')
	if err != nil || line != "ping\n" {
		t.Fatalf("echo = %q, %v", line, err)
	}
	return time.Since(start)
}

// A round trip through the link costs twice its one-way delay, and the bytes arrive unchanged.
func TestARoundTripCostsTwiceTheDelay(t *testing.T) {
	const delay = 40 * time.Millisecond
	l := link(t, echo(t), delay)
	c := dial(t, l)
	r := bufio.NewReader(c)
	for range 3 {
		if rtt := roundTrip(t, c, r); rtt < 2*delay || rtt > 2*delay+time.Second {
			t.Errorf("round trip %v through a link of %v each way", rtt, delay)
		}
	}
}

// Chunks sent back to back are each delayed from their own arrival, not queued behind each other's delay: ten
// lines written at once come back about one round trip later, not ten.
func TestDelayDoesNotLimitThroughput(t *testing.T) {
	const delay = 100 * time.Millisecond
	l := link(t, echo(t), delay)
	c := dial(t, l)
	r := bufio.NewReader(c)
	start := time.Now()
	for i := range 10 {
		if _, err := c.Write([]byte("line\n")); err != nil {
			t.Fatal(err)
		}
		if i < 9 {
			time.Sleep(2 * time.Millisecond)
		}
	}
	for range 10 {
		if _, err := r.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 2*delay || took > 5*delay {
		t.Errorf("ten lines took %v through a link of %v each way", took, delay)
	}
}

// The end of one side reaches the other after everything sent before it; Close ends every connection.
func TestEndsArePassedOnAndCloseEndsAll(t *testing.T) {
	l := link(t, echo(t), 10*time.Millisecond)
	c := dial(t, l)
	if _, err := c.Write([]byte("last words")); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	got, err := io.ReadAll(c)
	if err != nil || string(got) != "last words" {
		t.Fatalf("read %q, %v", got, err)
	}
	c2 := dial(t, l)
	time.Sleep(20 * time.Millisecond)
	done := make(chan error, 1)
	go func() { done <- l.Close() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return with a connection open")
	}
	c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c2.Read(make([]byte, 1)); err == nil {
		t.Error("a connection stayed open after Close")
	}
}
