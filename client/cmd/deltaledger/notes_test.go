package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The notes and warnings the command writes on the standard error beside
// its answer follow the locale, from the one catalogue: a suspension that
// leaves the peers to learn of the revocation, a suspension with no
// certificate to revoke, an empty table, a session file that cannot be
// kept, an event stream that reconnects.
func TestNotesAndWarningsFollowTheLocale(t *testing.T) {
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	f := newFake(t, false)
	f.on("POST /v1/participants/jiangsu.e1/suspend", submitted(map[string]any{"id": "jiangsu.e1", "status": "SUSPENDED", "certifiedRoles": []string{"holder"}}))
	revocation := func(status int, v any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { jsonAnswer(w, status, v) }
	}
	suspend := []string{"--gateway", f.srv.URL, "participants", "suspend", "jiangsu.e1", "--reason", "audit"}

	f.on("POST /v1/participants/jiangsu.e1/revocation", revocation(200, map[string]any{"participantId": "jiangsu.e1",
		"enrollmentId": "91320000MA1FL1900X", "revoked": []string{"1f"}, "mspId": "JiangsuMSP"}))
	notes(t, nil, suspend, "note: the peers accept jiangsu.e1's revoked certificates until your org's admin publishes the CA's CRL in the channel: "+
		"run 'deltaledger members revoke jiangsu.e1 --channel-admin DIR --peer HOST:PORT --orderer HOST:PORT --fabric-cacert FILE'\n")
	notes(t, zh, suspend, "注意： 在本组织管理员把 CA 的 CRL 发布到通道之前，节点仍接受 jiangsu.e1 已被吊销的证书："+
		"请运行 'deltaledger members revoke jiangsu.e1 --channel-admin DIR --peer HOST:PORT --orderer HOST:PORT --fabric-cacert FILE'\n")

	f.on("POST /v1/participants/jiangsu.e1/revocation", func(w http.ResponseWriter, r *http.Request) {
		message := "not onboarded through this gateway"
		if r.Header.Get("Accept-Language") == "zh" {
			message = "不是经本网关接纳的成员"
		}
		jsonAnswer(w, 409, map[string]any{"code": "CONFLICT", "message": message})
	})
	notes(t, nil, suspend, "note: jiangsu.e1 is suspended on the ledger; no certificate revoked: not onboarded through this gateway\n")
	notes(t, zh, suspend, "注意： jiangsu.e1 已在账本上被暂停；未吊销任何证书：不是经本网关接纳的成员\n")

	f.on("GET /v1/categories/none/listings", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"items": []any{}})
	})
	browse := []string{"--gateway", f.srv.URL, "listings", "browse", "--category", "none", "-o", "table"}
	notes(t, nil, browse, "(none)\n")
	notes(t, zh, browse, "（无）\n")

	notAFolder := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notAFolder, nil, 0o600))
	f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Ledger-Block", "7")
		me(w, r)
	})
	whoami := []string{"--gateway", f.srv.URL, "whoami"}
	session := filepath.Join(notAFolder, "session")
	notes(t, map[string]string{"DELTALEDGER_SESSION": session}, whoami,
		"Warning: keeping the session's block: mkdir "+notAFolder+": not a directory\n")
	notes(t, map[string]string{"DELTALEDGER_SESSION": session, "LANG": "zh_CN.UTF-8"}, whoami,
		"警告： 无法保存会话的区块："+notAFolder+"：路径中有一部分不是目录\n")

	var streams atomic.Int32
	tx := strings.Repeat("ef", 32)
	f.on("GET /v1/events", func(w http.ResponseWriter, r *http.Request) {
		n := streams.Add(1)
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "id: %d-%s\nevent: AssetApplied\ndata: {\"name\":\"AssetApplied\",\"block_number\":%d,\"transaction_id\":%q,\"payload\":{}}\n\n", 4+n, tx, 4+n, tx)
		// the first stream ends after its event, as a dropped connection does
	})
	events := []string{"--gateway", f.srv.URL, "events", "--follow", "--count", "2", "--start-block", "5"}
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "note: the event stream broke (EOF): reconnecting after event 5-" + tx + "\n"},
		{zh, "注意： 事件流中断（服务器 关闭了连接）：从事件 5-" + tx + " 之后重新连接\n"},
	} {
		streams.Store(0)
		start := time.Now()
		code, _, errOut := cli(t, c.env, events...)
		require.Equal(t, 0, code, errOut)
		assert.Equal(t, c.want, errOut, c.env)
		assert.Less(t, time.Since(start), 10*time.Second)
	}
}

// notes runs the command line, which must succeed, and requires its
// standard error to be want.
func notes(t *testing.T, env map[string]string, args []string, want string) {
	t.Helper()
	code, _, errOut := cli(t, env, args...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, want, errOut, "%v %v", env, args)
}
