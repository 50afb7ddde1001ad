package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

func TestEveryErrorCodeHasOneExitClass(t *testing.T) {
	inClass := map[ledgererr.Code]int{}
	statuses := map[int]bool{}
	for _, c := range exitClasses {
		assert.False(t, statuses[c.status], "status %d twice", c.status)
		statuses[c.status] = true
		for _, code := range c.codes {
			inClass[code]++
		}
	}
	for _, code := range ledgererr.Codes() {
		assert.Equal(t, 1, inClass[code], "error code %s must be in exactly one exit class", code)
		delete(inClass, code)
	}
	assert.Empty(t, inClass, "exit classes name codes that package ledgererr does not declare")
}

// Each class of failure exits with its own status, whatever the HTTP status
// it came with, and prints nothing on the standard output.
func TestEachFailureClassExitsWithItsStatus(t *testing.T) {
	f := newFake(t, false)
	answer := ""
	f.on("GET /v1/trades/trade-1", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 500, map[string]string{"code": answer, "message": "refused for the test", "transaction_id": "tx1"})
	})
	tested := 0
	for _, c := range exitClasses {
		for _, code := range c.codes {
			answer = string(code)
			status, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "trades", "get", "trade-1")
			assert.Equal(t, c.status, status, "%s: %s", code, errOut)
			assert.Empty(t, out)
			assert.Contains(t, errOut, "500 "+string(code)+": refused for the test (transaction tx1)")
			tested++
		}
	}
	assert.Equal(t, len(ledgererr.Codes()), tested)
}

// Answers that are not the API's (a proxy's page) are classed by their HTTP
// status.
func TestAnswersWithoutACodeExitByHTTPStatus(t *testing.T) {
	f := newFake(t, false)
	status := 0
	f.on("POST /v1/trades/trade-1/confirm", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html>proxy page</html>"))
	})
	for httpStatus, want := range map[int]int{404: 6, 409: 7, 403: 5, 401: 4, 400: 3, 502: 8, 504: 8, 418: 1} {
		status = httpStatus
		got, _, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "trades", "confirm", "trade-1")
		assert.Equal(t, want, got, "HTTP %d: %s", httpStatus, errOut)
		assert.Contains(t, errOut, "HTTP_"+strconv.Itoa(httpStatus))
	}
}

func TestLocalFailuresExitWithTheirStatus(t *testing.T) {
	// Nobody listens: unavailable.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	status, _, errOut := cli(t, nil, "--gateway", closed, "--api-key", "k", "whoami")
	assert.Equal(t, exitUnavailable, status, errOut)

	// A gateway whose certificate does not verify: retrying will not help.
	tlsFake := newFake(t, true)
	tlsFake.on("GET /v1/participants/me", me)
	status, _, errOut = cli(t, nil, "--gateway", tlsFake.srv.URL, "--api-key", "k", "whoami")
	assert.Equal(t, exitFailed, status, errOut)
	assert.Contains(t, errOut, "certificate")

	// Interrupted.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f := newFake(t, false)
	f.on("GET /v1/participants/me", me)
	status, _, errOut = cliWith(t, ctx, nil, nil, "--gateway", f.srv.URL, "--api-key", "k", "whoami")
	assert.Equal(t, exitInterrupted, status, errOut)

	// A data file that cannot be read.
	status, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "assets", "verify", "a1", "--content-file", filepath.Join(t.TempDir(), "missing"))
	assert.Equal(t, exitFailed, status, errOut)
	assert.Zero(t, f.count(), "nothing reached the gateway")
}

// --help and the README carry the one table.
func TestExitStatusesAreDocumented(t *testing.T) {
	code, out, _ := cli(t, nil, "--help")
	require.Equal(t, 0, code)
	assert.Contains(t, out, exitStatusHelp(ledgererr.English))
	for file, lang := range map[string]ledgererr.Language{"README.md": ledgererr.English, "README.zh-CN.md": ledgererr.Chinese} {
		readme, err := os.ReadFile(filepath.Join("..", "..", "..", file))
		require.NoError(t, err)
		table := exitStatusMarkdown(lang)
		assert.True(t, strings.Contains(string(readme), table), "%s must carry the exit status table as exitStatusMarkdown renders it:\n%s", file, table)
	}
}
