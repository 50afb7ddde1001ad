package api_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
)

// A caller cannot give its request's log line another request's ID: the answer's X-Request-ID and the log's
// request_id are the gateway's own, whatever X-Request-ID the caller sent; the caller's own, when it is 1 to 64 of
// [A-Za-z0-9._-], is logged beside it as client_request_id, and anything else is left out.
func TestACallerCannotChooseTheRequestIDOfItsLogLine(t *testing.T) {
	var logs syncBuffer
	e := newEnv(t, api.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	victim := e.do("alice", "GET", "/v1/participants/p-1", "").Header.Get("X-Request-ID")
	require.NotEmpty(t, victim)

	for sent, logged := range map[string]string{
		victim:                  victim,
		"trace-42.retry_1":      "trace-42.retry_1",
		strings.Repeat("a", 65): "",
		`x","member":"admin`:    "",
		"a b":                   "",
	} {
		resp := e.do("carol", "GET", "/v1/participants/p-1", "", header("X-Request-ID", sent))
		id := resp.Header.Get("X-Request-ID")
		assert.NotEqual(t, sent, id, "the answer's X-Request-ID is the gateway's own")
		line := logs.lineWith(t, id)
		if logged == "" {
			assert.NotContains(t, line, "client_request_id", "%q is no client request ID", sent)
		} else {
			assert.Equal(t, logged, line["client_request_id"])
		}
	}
	logs.mu.Lock()
	defer logs.mu.Unlock()
	n := 0
	for l := range strings.Lines(logs.buf.String()) {
		var m map[string]any
		if json.Unmarshal([]byte(l), &m) == nil && m["request_id"] == victim {
			n++
		}
	}
	assert.Equal(t, 1, n, "one log line carries the request ID %s", victim)
}
