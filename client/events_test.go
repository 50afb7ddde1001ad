package client

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sse writes a Server-Sent Events answer and flushes it.
func sse(w http.ResponseWriter, text string) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
	}
	_, _ = io.WriteString(w, text)
	w.(http.Flusher).Flush()
}

// sseEvent is one event as the gateway writes it.
func sseEvent(block int, tx, name string) string {
	return fmt.Sprintf("id: %d-%s\nevent: %s\ndata: {\"name\":%q,\"block_number\":%d,\"transaction_id\":%q,\"payload\":{\"id\":\"t1\"}}\n\n",
		block, tx, name, name, block, tx)
}

func TestEventsParseTheStream(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		sse(w, "retry: 2000\n\n: keep-alive\n\n")
		sse(w, sseEvent(7, txA, "AssetApplied"))
		// A data field over several lines, CRLF line ends, an unknown field.
		sse(w, "id: 8-"+txB+"\r\nevent: TradeCompleted\r\nfoo: bar\r\ndata: {\"name\":\"TradeCompleted\",\r\ndata: \"block_number\":8,\"transaction_id\":\""+txB+"\"}\r\n\r\n")
		<-r.Context().Done()
	})
	var got []Event
	for ev, err := range g.c.Events(context.Background()) {
		require.NoError(t, err)
		if got = append(got, ev); len(got) == 2 {
			break
		}
	}
	assert.Equal(t, Event{ID: "7-" + txA, Name: "AssetApplied", BlockNumber: 7, TransactionID: txA, Payload: []byte(`{"id":"t1"}`)}, got[0])
	assert.Equal(t, Event{ID: "8-" + txB, Name: "TradeCompleted", BlockNumber: 8, TransactionID: txB}, got[1])
	r := g.last()
	assert.Equal(t, "/v1/events", r.Path)
	assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
	assert.Equal(t, "Bearer "+testKey, r.Header.Get("Authorization"))
	assert.Empty(t, r.Header.Get("Last-Event-ID"))
	assert.Empty(t, r.RawQuery)
}

func TestEventsResumeAfterADroppedConnection(t *testing.T) {
	conns := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		conns++
		switch conns {
		case 1:
			sse(w, "retry: 1500\n\n"+sseEvent(10, txA, "TradeOrdered")+sseEvent(11, txB, "TradeAccepted"))
			// Half an event, then the connection drops: it is not yielded.
			sse(w, "id: 12-abc\nevent: TradePaid\n")
		case 2:
			http.Error(w, `{"code":"UNAVAILABLE","message":"restarting"}`, 503)
		default:
			sse(w, sseEvent(12, txA, "TradePaid"))
			<-r.Context().Done()
		}
	})
	var reconnects []string
	var got []string
	for ev, err := range g.c.Events(context.Background(), EventsOnReconnect(func(last string, err error) { reconnects = append(reconnects, last) })) {
		require.NoError(t, err)
		if got = append(got, ev.Name); len(got) == 3 {
			break
		}
	}
	assert.Equal(t, []string{"TradeOrdered", "TradeAccepted", "TradePaid"}, got)
	reqs := g.requests()
	require.Len(t, reqs, 3)
	assert.Empty(t, reqs[0].Header.Get("Last-Event-ID"))
	assert.Equal(t, "11-"+txB, reqs[1].Header.Get("Last-Event-ID"), "resume just after the last event received")
	assert.Equal(t, "11-"+txB, reqs[2].Header.Get("Last-Event-ID"))
	assert.Equal(t, []string{"11-" + txB, "11-" + txB}, reconnects)
	// The gateway's retry: 1500 ms, then a backoff after the failed attempt.
	assert.Equal(t, []time.Duration{1500 * time.Millisecond, 1500 * time.Millisecond}, g.waits())
}

func TestEventsStartWhereAskedTo(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { sse(w, sseEvent(20, txA, "X")) })
	for _, err := range g.c.Events(context.Background(), EventsFrom("19-"+txB), EventsFromBlock(3)) {
		require.NoError(t, err)
		break
	}
	assert.Equal(t, "19-"+txB, g.last().Header.Get("Last-Event-ID"))
	assert.Empty(t, g.last().RawQuery)

	for _, err := range g.c.Events(context.Background(), EventsFromBlock(3)) {
		require.NoError(t, err)
		break
	}
	assert.Empty(t, g.last().Header.Get("Last-Event-ID"))
	assert.Equal(t, "start_block=3", g.last().RawQuery)
}

func TestEventsStopWhenRefused(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		fail(w, 401, "UNAUTHENTICATED", "invalid API key")
	})
	n := 0
	for _, err := range g.c.Events(context.Background()) {
		n++
		assert.True(t, IsUnauthenticated(err), "%v", err)
	}
	assert.Equal(t, 1, n)
	assert.Len(t, g.requests(), 1)

	g = newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) { reply(w, 200, `{}`) })
	for _, err := range g.c.Events(context.Background()) {
		assert.ErrorContains(t, err, "not text/event-stream")
	}
}

func TestEventsGiveUpAfterRepeatedFailures(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "4")
		fail(w, 429, "RATE_LIMITED", "slow down")
	})
	var errs []error
	for _, err := range g.c.Events(context.Background(), EventsMaxReconnects(2)) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "failed 3 times in a row")
	var e *Error
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, 429, e.Status)
	assert.Len(t, g.requests(), 3)
	assert.Equal(t, []time.Duration{4 * time.Second, 4 * time.Second}, g.waits(), "Retry-After is honoured")
}

func TestEventsReplaceASilentConnection(t *testing.T) {
	var mu sync.Mutex
	conns := 0
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		mu.Lock()
		conns++
		n := conns
		mu.Unlock()
		if n == 1 {
			sse(w, sseEvent(5, txA, "First"))
			<-r.Context().Done() // then silence
			return
		}
		sse(w, sseEvent(6, txB, "Second"))
		<-r.Context().Done()
	})
	var errs []error
	var got []string
	for ev, err := range g.c.Events(context.Background(), EventsIdleTimeout(100*time.Millisecond),
		EventsOnReconnect(func(_ string, err error) { errs = append(errs, err) })) {
		require.NoError(t, err)
		if got = append(got, ev.Name); len(got) == 2 {
			break
		}
	}
	assert.Equal(t, []string{"First", "Second"}, got)
	require.Len(t, errs, 1)
	assert.ErrorContains(t, errs[0], "silent")
	assert.Equal(t, "5-"+txA, g.last().Header.Get("Last-Event-ID"))
}

func TestEventsEndWithTheContext(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		sse(w, sseEvent(1, txA, "A"))
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, err := range g.c.Events(ctx) {
			assert.NoError(t, err)
			n++
			cancel()
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the stream did not end with its context")
	}
	assert.Equal(t, 1, n)
	assert.Len(t, g.requests(), 1)
}

func TestEventsYieldUndecodableDataAndGoOn(t *testing.T) {
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		sse(w, "id: 1-aa\ndata: {not json\n\n"+sseEvent(2, txA, "Good"))
		<-r.Context().Done()
	})
	var errs []error
	var names []string
	for ev, err := range g.c.Events(context.Background()) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		names = append(names, ev.Name)
		break
	}
	require.Len(t, errs, 1)
	assert.True(t, strings.Contains(errs[0].Error(), "event 1-aa"), errs[0].Error())
	assert.Equal(t, []string{"Good"}, names)
}

// The gateway names the wait before a reconnect (its retry field, a 429's or 503's Retry-After), but a wait of
// days would leave the loop without an event and without an error, the watchdog of a silent connection asleep
// with it: the retry field is taken up to the longest backoff (a field too long for a duration too), and a
// Retry-After past MaxRetryAfter ends the stream with the gateway's error, as it ends a request's retries.
func TestEventsWaitNoLongerThanTheirBounds(t *testing.T) {
	for _, retry := range []string{"86400000", "99999999999999999"} {
		conns := 0
		g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
			if conns++; conns == 1 {
				sse(w, "retry: "+retry+"\n\n"+sseEvent(10, txA, "TradeOrdered"))
				return // the stream ends
			}
			sse(w, sseEvent(11, txB, "TradeAccepted"))
			<-r.Context().Done()
		})
		n := 0
		for _, err := range g.c.Events(context.Background()) {
			require.NoError(t, err)
			if n++; n == 2 {
				break
			}
		}
		assert.Equal(t, []time.Duration{maxEventsBackoff}, g.waits(), "retry: %s", retry)
	}

	g := newGW(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		w.Header().Set("Retry-After", "86400")
		fail(w, 503, "UNAVAILABLE", "come back tomorrow")
	})
	var errs []error
	for _, err := range g.c.Events(context.Background()) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	var e *Error
	require.ErrorAs(t, errs[0], &e)
	assert.Equal(t, 503, e.Status)
	assert.Empty(t, g.waits(), "no wait of a day")
	assert.Len(t, g.requests(), 1)
}
