package client

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Event is one chaincode event of the gateway's event stream
// (GET /v1/events, Server-Sent Events).
type Event struct {
	// ID is the event's position, "<block>-<transaction_id>": keep the last
	// one handled and pass it to EventsFrom to resume just after it.
	ID string `json:"id"`
	// Name is the chaincode event name, e.g. "TradeCompleted".
	Name string `json:"name"`
	// BlockNumber is the block of the transaction that emitted it.
	BlockNumber uint64 `json:"block_number"`
	// TransactionID is the transaction that emitted it.
	TransactionID string `json:"transaction_id"`
	// Payload is the chaincode's event payload (the IDs of what changed).
	Payload json.RawMessage `json:"payload,omitempty"`
}

// EventsOption changes where an event stream starts and how it reconnects.
type EventsOption func(*eventsSettings)

type eventsSettings struct {
	from          string
	fromBlock     uint64
	fromBlockSet  bool
	maxReconnects int
	idle          time.Duration
	onReconnect   func(lastID string, err error)
}

// Defaults of the event stream's options.
const (
	// DefaultEventsMaxReconnects is how many connection attempts in a row
	// may fail before the stream gives up.
	DefaultEventsMaxReconnects = 10
	// DefaultEventsIdleTimeout is how long a connection may stay silent
	// before it is taken for dead and replaced (the gateway sends a
	// keep-alive comment every 15 seconds by default).
	DefaultEventsIdleTimeout = 75 * time.Second
	// maxEventsBackoff caps the wait between failed connection attempts, and
	// the wait the gateway's retry field names.
	maxEventsBackoff = 30 * time.Second
	// maxEventLine bounds one line of the stream, and the data of one event
	// over all its lines: a gateway that sent an event of many short lines
	// would otherwise have the client hold all of them.
	maxEventLine = 4 << 20
)

// EventsFrom resumes the stream just after the event with this ID (an
// Event.ID received before), with no gap and no duplicate, as the gateway's
// Last-Event-ID does; "" starts as if it were not given.
func EventsFrom(lastID string) EventsOption {
	return func(s *eventsSettings) { s.from = lastID }
}

// EventsFromBlock starts the stream at a block (for example a submit's
// BlockNumber) instead of at the next block; EventsFrom wins over it.
func EventsFromBlock(block uint64) EventsOption {
	return func(s *eventsSettings) { s.fromBlock, s.fromBlockSet = block, true }
}

// EventsMaxReconnects sets how many connection attempts in a row may fail
// (DefaultEventsMaxReconnects); a negative n retries until the context ends.
// An attempt the gateway refuses for good (401, 403, 400) ends the stream at
// once.
func EventsMaxReconnects(n int) EventsOption {
	return func(s *eventsSettings) { s.maxReconnects = n }
}

// EventsIdleTimeout sets how long a connection may stay silent (no event
// and no keep-alive) before it is replaced (DefaultEventsIdleTimeout); 0
// never.
func EventsIdleTimeout(d time.Duration) EventsOption {
	return func(s *eventsSettings) { s.idle = d }
}

// EventsOnReconnect calls f each time the stream reconnects, with the last
// event ID received and the error that ended the connection (io.EOF when the
// gateway ended the stream, as it does when it shuts down).
func EventsOnReconnect(f func(lastID string, err error)) EventsOption {
	return func(s *eventsSettings) { s.onReconnect = f }
}

// Events streams the chaincode events the member may see: every event for
// the regulator, the market's events (participants, assets, rights,
// listings, trades) for others. By default the stream starts at the next
// block; see EventsFrom and EventsFromBlock.
//
// When the connection drops, the gateway restarts or the connection stays
// silent too long, the stream reconnects by itself, resuming just after the
// last event received (Last-Event-ID): the loop sees every event once, in
// order. (Before the first event of a stream started at the next block,
// there is no position to resume from, so it starts at the next block
// again.) The gateway names the wait before a reconnect (its retry field, up
// to 30 s; a Retry-After). The iterator ends when ctx ends or the loop
// breaks; an error is yielded when the gateway refuses the stream, asks for
// a wait longer than MaxRetryAfter, or the reconnects are exhausted, and
// then the iterator ends. An event whose data cannot be
// decoded is yielded as an error and the stream goes on.
//
//	for ev, err := range c.Events(ctx, client.EventsFrom(saved)) {
//		if err != nil { return err }
//		handle(ev)
//		saved = ev.ID
//	}
func (c *Client) Events(ctx context.Context, opts ...EventsOption) iter.Seq2[Event, error] {
	s := eventsSettings{maxReconnects: DefaultEventsMaxReconnects, idle: DefaultEventsIdleTimeout}
	for _, o := range opts {
		o(&s)
	}
	return func(yield func(Event, error) bool) {
		st := &eventStream{c: c, s: &s, lastID: s.from, retry: time.Second}
		failures := 0
		for {
			if ctx.Err() != nil {
				return
			}
			end := st.connect(ctx, yield, func() { failures = 0 })
			switch {
			case end.stopped || ctx.Err() != nil:
				return
			case end.fatal:
				yield(Event{}, end.err)
				return
			}
			if end.failed {
				failures++
			}
			if s.maxReconnects >= 0 && failures > s.maxReconnects {
				yield(Event{}, failuref("the event stream failed %d times in a row: %v", failures, end.err))
				return
			}
			// A longer wait than a request's retries take is the caller's to decide on, as it is for a
			// request: a loop left for days without an event or an error would not know its stream was over.
			if end.retryAfter > MaxRetryAfter {
				yield(Event{}, end.err)
				return
			}
			if s.onReconnect != nil {
				s.onReconnect(st.lastID, end.err)
			}
			wait := st.retry
			if failures > 0 {
				wait = min(st.retry<<min(failures-1, 10), maxEventsBackoff)
			}
			if end.retryAfter > wait {
				wait = end.retryAfter
			}
			if c.sleep(ctx, wait) != nil {
				return
			}
		}
	}
}

// Why a connection was cancelled.
var (
	errSilent        = ledgererr.Messagef("no event and no keep-alive")
	errHeaderTimeout = ledgererr.Messagef("the gateway did not answer")
)

// eventStream is the state an event stream keeps across connections.
type eventStream struct {
	c      *Client
	s      *eventsSettings
	lastID string
	retry  time.Duration
}

// streamEnd says how one connection ended.
type streamEnd struct {
	stopped    bool // the loop broke
	fatal      bool // the gateway refused the stream for good
	failed     bool // the attempt failed (counts towards the reconnect limit)
	err        error
	retryAfter time.Duration
}

// connect opens one connection and yields its events until it ends.
// connected is called once the gateway accepted the stream.
func (st *eventStream) connect(ctx context.Context, yield func(Event, error) bool, connected func()) streamEnd {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	req := &request{method: http.MethodGet, path: "/v1/events", header: http.Header{
		"Accept":        {"text/event-stream"},
		"Cache-Control": {"no-cache"},
	}}
	if st.lastID != "" {
		req.header.Set("Last-Event-ID", st.lastID)
	} else if st.s.fromBlockSet {
		req.query = url.Values{"start_block": {strconv.FormatUint(st.s.fromBlock, 10)}}
	}
	hr, err := st.c.newHTTPRequest(ctx, req, nil)
	if err != nil {
		return streamEnd{fatal: true, err: err}
	}
	// The client's timeout bounds the wait for the headers, not the stream.
	var headerTimer *time.Timer
	if st.c.timeout > 0 {
		headerTimer = time.AfterFunc(st.c.timeout, func() { cancel(errHeaderTimeout) })
	}
	resp, err := st.c.http.Do(hr)
	if headerTimer != nil {
		headerTimer.Stop()
	}
	if err != nil {
		if errors.Is(context.Cause(ctx), errHeaderTimeout) {
			err = ledgererr.Messagef("%v within %s", errHeaderTimeout, st.c.timeout)
		}
		return streamEnd{failed: true, err: fmt.Errorf("deltaledger: connecting the event stream: %w", err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		apiErr := errorFromAnswer(&answer{status: resp.StatusCode, header: resp.Header, body: b})
		end := streamEnd{failed: true, err: apiErr, retryAfter: apiErr.RetryAfter}
		if resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusRequestTimeout {
			end.fatal = true
		}
		return end
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		return streamEnd{fatal: true, err: failuref("the event stream answered %q, not text/event-stream", resp.Header.Get("Content-Type"))}
	}
	connected()

	var watchdog *time.Timer
	if st.s.idle > 0 {
		watchdog = time.AfterFunc(st.s.idle, func() { cancel(errSilent) })
		defer watchdog.Stop()
	}
	var (
		br        = bufio.NewReaderSize(resp.Body, 64<<10)
		id, name  string
		data      strings.Builder
		hasData   bool
		idPending bool
	)
	for {
		line, err := readLine(br)
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				err = io.EOF
			}
			if errors.Is(context.Cause(ctx), errSilent) {
				err = failuref("the event stream was silent for %s: %v", st.s.idle, errSilent)
			}
			return streamEnd{err: err}
		}
		if watchdog != nil {
			watchdog.Reset(st.s.idle)
		}
		if line == "" { // dispatch
			if idPending {
				st.lastID = id
				idPending = false
			}
			if !hasData {
				name = ""
				continue
			}
			ev, derr := decodeEvent(id, name, data.String())
			data.Reset()
			hasData, name = false, ""
			if watchdog != nil {
				watchdog.Stop()
			}
			var more bool
			if derr != nil {
				more = yield(Event{}, derr)
			} else {
				more = yield(ev, nil)
			}
			if !more {
				return streamEnd{stopped: true}
			}
			if watchdog != nil {
				watchdog.Reset(st.s.idle)
			}
			continue
		}
		if strings.HasPrefix(line, ":") { // comment (keep-alive)
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "id":
			if !strings.ContainsRune(value, 0) {
				id, idPending = value, true
			}
		case "event":
			name = value
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
			if data.Len() > maxEventLine {
				return streamEnd{err: failuref("an event of the event stream exceeds %d bytes", maxEventLine)}
			}
		case "retry":
			// The gateway's wait before a reconnect, up to the longest backoff: longer, the stream would sleep
			// where a silent connection is replaced (and a number of milliseconds past a duration's range
			// would wrap).
			if ms, err := strconv.Atoi(value); err == nil && ms >= 0 {
				st.retry = time.Duration(min(ms, int(maxEventsBackoff/time.Millisecond))) * time.Millisecond
			}
		}
	}
}

// readLine reads one line of the stream without its end of line (\n, \r\n).
func readLine(br *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, err := br.ReadSlice('\n')
		b.Write(chunk)
		if b.Len() > maxEventLine {
			return "", failuref("an event stream line exceeds %d bytes", maxEventLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return "", err
		}
		return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), "\r"), nil
	}
}

// decodeEvent reads an event's data.
func decodeEvent(id, name, data string) (Event, error) {
	var ev Event
	if err := json.Unmarshal([]byte(data), &ev); err != nil {
		return Event{}, failuref("event %s: its data cannot be read: %v", id, jsonProblem(err))
	}
	ev.ID = id
	if ev.Name == "" {
		ev.Name = name
	}
	return ev, nil
}
