// Package eventstest opens a gateway's event stream (GET /v1/events) in a
// test and reads its Server-Sent Events field by field as the gateway wrote
// them, so that the unit tests of the stream and the end-to-end tests check
// the format on the wire rather than a client's reading of it (package
// client has that).
package eventstest

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Event is one Server-Sent Event: its fields by name ("id", "event",
// "data"), the lines of a data field that spans several joined by "\n", as
// the format has a client join them.
type Event map[string]string

// buffered is how many events a Stream holds unread: enough that a test
// reading only up to one event of a long stream never holds the gateway up.
const buffered = 1000

// Stream is an open GET /v1/events.
type Stream struct {
	// Events delivers, in order, each event that has an ID (a retry field or
	// a comment has none); it is closed when the stream ends.
	Events <-chan Event
	cancel context.CancelFunc
	body   io.Closer
}

// Open opens GET base/v1/events with query ("?start_block=3", or "") through
// hc as the holder of the API key, resuming after the event lastID when it
// is not "" (Last-Event-ID), and fails t unless the gateway answers 200 with
// a text/event-stream. The stream ends with the test if not before (Close),
// and before what the test set to be cleaned up before it opened, such as an
// httptest.Server, whose Close waits for its streams.
func Open(t testing.TB, hc *http.Client, base, key, query, lastID string) *Stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/v1/events"+query, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := hc.Do(req)
	if err != nil {
		cancel()
	}
	require.NoError(t, err)
	events := make(chan Event, buffered)
	s := &Stream{Events: events, cancel: cancel, body: resp.Body}
	t.Cleanup(s.Close)
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	go func() {
		defer close(events)
		defer resp.Body.Close()
		read(resp.Body, events)
	}()
	return s
}

// read sends to events each event of r that has an ID, until r ends.
func read(r io.Reader, events chan<- Event) {
	sc := bufio.NewScanner(r)
	cur := Event{}
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			if cur["id"] != "" {
				events <- cur
			}
			cur = Event{}
			continue
		}
		// A line without a name is a comment; a field's value follows
		// its colon and one optional space.
		name, value, _ := strings.Cut(line, ":")
		if name == "" {
			continue
		}
		value = strings.TrimPrefix(value, " ")
		if old, ok := cur[name]; ok && name == "data" {
			value = old + "\n" + value
		}
		cur[name] = value
	}
}

// Close ends the stream at once.
func (s *Stream) Close() {
	s.cancel()
	s.body.Close()
}
