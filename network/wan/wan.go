// Package wan delays TCP traffic between the sites of a network of sites (scripts/lib/sites.sh) as a wide-area link
// would: the kernel here has no netem qdisc, so the delay is added in user space. A Link listens on one address and
// forwards every connection to another; each chunk of bytes, in each direction, is delivered its delay after it
// arrived, in order, so a round trip costs twice the delay while throughput stays the link's own (a chunk waits
// for its time, never for the chunk before it to be acknowledged).
//
//	l, err := wan.Listen("10.77.2.3:27251", "10.77.2.2:27251", 15*time.Millisecond)
//	go l.Serve()
//	defer l.Close()
package wan

import (
	"errors"
	"net"
	"sync"
	"time"
)

// inFlight bounds the chunks one direction holds while their delay runs: beyond it the reader waits, which pushes
// back on the sender as a full link would.
const inFlight = 256

// chunkSize is the largest chunk read at once.
const chunkSize = 32 << 10

// Link forwards the connections accepted on one address to another with a one-way delay.
type Link struct {
	target string
	delay  time.Duration
	ln     net.Listener

	mu    sync.Mutex
	conns map[net.Conn]struct{}
	wg    sync.WaitGroup
}

// Listen opens a Link on listen that forwards to target, each direction delayed by delay.
func Listen(listen, target string, delay time.Duration) (*Link, error) {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, err
	}
	return &Link{target: target, delay: delay, ln: ln, conns: map[net.Conn]struct{}{}}, nil
}

// Addr is the address the link listens on.
func (l *Link) Addr() net.Addr { return l.ln.Addr() }

// Serve accepts connections until Close.
func (l *Link) Serve() error {
	for {
		c, err := l.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.forward(c)
		}()
	}
}

// Close stops accepting, closes every forwarded connection and waits for their goroutines.
func (l *Link) Close() error {
	err := l.ln.Close()
	l.mu.Lock()
	for c := range l.conns {
		c.Close()
	}
	l.mu.Unlock()
	l.wg.Wait()
	return err
}

func (l *Link) track(c net.Conn, on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if on {
		l.conns[c] = struct{}{}
	} else {
		delete(l.conns, c)
	}
}

// forward connects to the target and pumps both directions until both have ended. Opening the connection is not
// delayed (the client's connect returns at once); every byte is.
func (l *Link) forward(client net.Conn) {
	l.track(client, true)
	defer l.track(client, false)
	defer client.Close()
	server, err := net.DialTimeout("tcp", l.target, 10*time.Second)
	if err != nil {
		return
	}
	l.track(server, true)
	defer l.track(server, false)
	defer server.Close()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); l.pump(server, client) }()
	go func() { defer wg.Done(); l.pump(client, server) }()
	wg.Wait()
}

type chunk struct {
	data []byte
	due  time.Time
}

// pump copies from src to dst, each chunk delivered its delay after it was read; at src's end it half-closes dst
// once everything read has been delivered.
func (l *Link) pump(dst, src net.Conn) {
	queue := make(chan chunk, inFlight)
	go func() {
		defer close(queue)
		for {
			buf := make([]byte, chunkSize)
			n, err := src.Read(buf)
			if n > 0 {
				queue <- chunk{data: buf[:n], due: time.Now().Add(l.delay)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range queue {
		time.Sleep(time.Until(c.due))
		if _, err := dst.Write(c.data); err != nil {
			src.Close()
			for range queue { // let the reader finish
			}
			return
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	} else {
		dst.Close()
	}
}
