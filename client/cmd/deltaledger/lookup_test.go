package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
)

// incompleteLookupGateway answers a lookup whose Jiangsu holding org's peer
// did not answer: the Zhejiang record arrives, Jiangsu's has no contents.
func incompleteLookupGateway(t *testing.T) *fakeGateway {
	f := newFake(t, false)
	contents := `{"recordId":"rating-1","type":"RATING","grade":"A","summary":"Annual enterprise rating"}`
	f.on("GET /v1/credit/subjects/91310000MA1FL1800B/records", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"transaction_id":"%s","block_number":9,
			"trace":{"traceId":"trace-1","querierId":"anhui.buyer","purpose":"due diligence","basis":"AUTHORIZATION","at":"2026-12-07T13:00:00Z","expiresAt":"2026-12-07T13:15:00Z"},
			"records":[{"record":{"recordId":"rating-1","agencyId":"zhejiang.agency","agencyMsp":"ZhejiangMSP","contentHash":"%s"},"heldBy":"ZhejiangMSP","contents":%s,"verified":true},
				{"record":{"recordId":"default-1","agencyId":"jiangsu.agency","agencyMsp":"JiangsuMSP","contentHash":"%s"},"heldBy":"JiangsuMSP","verified":false}],
			"holders":[{"mspId":"JiangsuMSP","ok":false,"error":{"code":"UNAVAILABLE","message":"no peer of JiangsuMSP answered"}},{"mspId":"ZhejiangMSP","ok":true}],
			"complete":false}`, txHex, client.SHA256([]byte(contents)), contents, client.SHA256([]byte("default")))
	})
	return f
}

const txHex = "abababababababababababababababababababababababababababababababab"

// An incomplete lookup exited 0 with "complete: false" in its header line:
// a lender's script checking the exit status took it for the whole answer,
// and a subject whose DEFAULT record Jiangsu holds for one without any. The
// command prints the records it got, names on the standard error each org
// that did not answer and the record missing its contents, and exits 8
// with the --idempotency-key that repeats the lookup under the same trace.
func TestAnIncompleteLookupExitsUnavailableNamingTheOrgsAndTheKey(t *testing.T) {
	f := incompleteLookupGateway(t)
	env := map[string]string{"DELTALEDGER_API_KEY": "k"}
	base := []string{"--gateway", f.srv.URL, "credit", "lookup", "91310000MA1FL1800B", "--purpose", "due diligence"}

	code, out, errOut := cli(t, env, append(base, "-o", "table")...)
	assert.Equal(t, exitUnavailable, code, errOut)
	assert.Regexp(t, `(?m)^rating-1\s+zhejiang.agency\s+ZhejiangMSP\s+true\s+true\s+false\s+RATING\s+A`, out, "the records received are printed")
	assert.Regexp(t, `(?m)^default-1\s+jiangsu.agency\s+JiangsuMSP\s+false\s+false\s+false`, out)
	key := f.last().Header.Get("Idempotency-Key")
	assert.Regexp(t, `^dlc-[0-9a-f]{32}$`, key, "a lookup carries a generated key")
	assert.Equal(t, "Error: the lookup under trace trace-1 is incomplete: the records above may lack some of the subject's\n"+
		"  JiangsuMSP did not answer: UNAVAILABLE: no peer of JiangsuMSP answered\n"+
		"  record default-1: its contents did not come verified\n"+
		"repeat the command with --idempotency-key "+key+" before 2026-12-07T13:15:00Z: it reads them again under the same trace and writes no second one\n", errOut)

	// JSON: the answer as the gateway gave it, for a script that uses the
	// records knowingly; the exit status still says incomplete.
	code, out, errOut = cli(t, env, append(base, "--idempotency-key", "lookup-acme-1")...)
	assert.Equal(t, exitUnavailable, code)
	assert.Equal(t, "lookup-acme-1", f.last().Header.Get("Idempotency-Key"), "--idempotency-key reaches the lookup")
	var res client.LookupResult
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.False(t, res.Complete)
	assert.Len(t, res.Records, 2)
	assert.Contains(t, errOut, "--idempotency-key lookup-acme-1 before 2026-12-07T13:15:00Z")

	// The same in Chinese, the gateway's words as they came.
	code, _, errOut = cli(t, map[string]string{"DELTALEDGER_API_KEY": "k", "LANG": "zh_CN.UTF-8"}, append(base, "--idempotency-key", "lookup-acme-1")...)
	assert.Equal(t, exitUnavailable, code)
	assert.Regexp(t, regexp.MustCompile(`(?s)查询记录 trace-1 下的查询不完整.*JiangsuMSP 没有应答：UNAVAILABLE: no peer of JiangsuMSP answered.*信用记录 default-1：其内容未经验证.*`+
		`请在 2026-12-07T13:15:00Z 之前以 --idempotency-key lookup-acme-1 重复该命令`), errOut)

	// --no-wait does not apply to a lookup, which answers after its trace
	// commits: it is not passed on (the SDK would refuse it).
	code, _, errOut = cli(t, env, append(base, "--no-wait")...)
	assert.Equal(t, exitUnavailable, code, errOut)
	assert.NotContains(t, f.last().Query, "wait")
}
