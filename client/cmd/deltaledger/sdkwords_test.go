package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The client's own words around the gateway's answers follow the locale
// too: the transaction an error names, an answer that is not the API's JSON,
// an event stream that is not one, a keys file line that is not KEY=VALUE.
// English otherwise, as the SDK and envfile make them.
func TestTheClientsOwnWordsFollowTheLocale(t *testing.T) {
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	tx := strings.Repeat("ab", 32)
	f := newFake(t, false)
	f.on("POST /v1/participants/p-1/suspend", func(w http.ResponseWriter, r *http.Request) {
		message := "participant \"p-1\" is SUSPENDED, not ACTIVE"
		if r.Header.Get("Accept-Language") == "zh" {
			message = "参与方 \"p-1\" 的状态为 SUSPENDED，而非 ACTIVE"
		}
		jsonAnswer(w, 409, map[string]any{"code": "CONFLICT", "message": message, "transaction_id": tx})
	})
	f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id": "jiangsu.buyer", "roles": "buyer"}`))
	})
	f.on("GET /v1/assets/a1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id": "a1",`))
	})
	f.on("GET /v1/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("hello\n"))
	})
	keys := filepath.Join(t.TempDir(), "demo-keys.env")
	require.NoError(t, os.WriteFile(keys, []byte("JIANGSU_GW="+f.srv.URL+"\nthis is not an assignment\n"), 0o600))
	gw := []string{"--gateway", f.srv.URL}
	for _, c := range []struct {
		name   string
		args   []string
		status int
		en, zh string
	}{
		{"the transaction an answer names", append(gw, "participants", "suspend", "p-1", "--reason", "r"), 7,
			`409 CONFLICT: participant "p-1" is SUSPENDED, not ACTIVE (transaction ` + tx + ")",
			`409 CONFLICT: 参与方 "p-1" 的状态为 SUSPENDED，而非 ACTIVE（交易 ` + tx + "）"},
		{"an answer of another shape", append(gw, "whoami"), exitFailed,
			"the gateway's answer (HTTP 200) cannot be read: its field roles holds a JSON string where []string belongs",
			"无法读取网关的应答（HTTP 200）：其字段 roles 是 JSON string，而此处应为 []string"},
		{"an answer cut short", append(gw, "assets", "get", "a1"), exitFailed,
			"the gateway's answer (HTTP 200) cannot be read: not valid JSON at byte 12",
			"无法读取网关的应答（HTTP 200）：第 12 字节处不是有效的 JSON"},
		{"an event stream that is not one", append(gw, "events", "--idle", "1s"), exitFailed,
			`the event stream answered "text/plain", not text/event-stream`,
			`事件流的应答类型为 "text/plain"，而非 text/event-stream`},
		{"a keys file line", []string{"--keys-file", keys, "--org", "jiangsu", "--role", "buyer", "whoami"}, exitUsage,
			keys + `:2: not KEY=VALUE`,
			keys + `:2：不是 KEY=VALUE 格式`},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, _, errOut := cli(t, nil, c.args...)
			assert.Equal(t, c.status, status, errOut)
			assert.True(t, strings.HasPrefix(errOut, "Error: "+c.en+"\n"), "%q", errOut)
			status, _, errOut = cli(t, zh, c.args...)
			assert.Equal(t, c.status, status, errOut)
			assert.True(t, strings.HasPrefix(errOut, "错误： "+c.zh+"\n"), "%q", errOut)
		})
	}
}
