package chaos

import (
	"context"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/client"
)

// streamIdle is how long a live stream may stay silent before the client
// replaces the connection: a paused gateway holds it open and says nothing.
const streamIdle = 20 * time.Second

// stream is one region's event stream as its regulator reads it, from a
// block on, resuming after every drop with Last-Event-ID.
type stream struct {
	region string

	mu         sync.Mutex
	events     []client.Event
	reconnects int
	err        error
	done       chan struct{}
}

// follow reads r's events from block start until ctx ends.
func follow(ctx context.Context, r *region, start uint64) *stream {
	s := &stream{region: r.Key, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		events := r.Regulator.Events(ctx, client.EventsFromBlock(start), client.EventsMaxReconnects(-1),
			client.EventsIdleTimeout(streamIdle), client.EventsOnReconnect(func(string, error) {
				s.mu.Lock()
				s.reconnects++
				s.mu.Unlock()
			}))
		for ev, err := range events {
			s.mu.Lock()
			if err != nil {
				s.err = err
			} else {
				s.events = append(s.events, ev)
			}
			s.mu.Unlock()
		}
	}()
	return s
}

// until waits until the stream has every event whose transaction is in
// txIDs, or ctx ends, and returns the events up to and including the last
// of them.
func (s *stream) until(ctx context.Context, txIDs map[string]bool) ([]client.Event, bool) {
	for {
		s.mu.Lock()
		seen, cut := map[string]bool{}, -1
		for i, ev := range s.events {
			if txIDs[ev.TransactionID] && !seen[ev.TransactionID] {
				seen[ev.TransactionID] = true
				cut = i
			}
		}
		var out []client.Event
		if len(seen) == len(txIDs) {
			out = append(out, s.events[:cut+1]...)
		}
		s.mu.Unlock()
		if out != nil {
			return out, true
		}
		select {
		case <-ctx.Done():
			return nil, false
		case <-s.done:
			return nil, false
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *stream) stats() (reconnects int, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reconnects, s.err
}
