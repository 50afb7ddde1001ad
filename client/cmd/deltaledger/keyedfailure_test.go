package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
)

// answerOutcomeUnknown answers the gateway's 504 OUTCOME_UNKNOWN.
func answerOutcomeUnknown(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusGatewayTimeout)
	fmt.Fprintf(w, `{"code":"OUTCOME_UNKNOWN","message":"the commit was not seen","transaction_id":"%s"}`, txHex)
}

// A keyed command that failed with its outcome unknown (504, a connection
// reset after the gateway got the request) printed no key: exit status 9
// said "repeat with the same --idempotency-key", but the command had sent a
// generated one it never named, and running it again wrote a second credit
// trace the subject sees. The command names the key to repeat it with.
func TestAKeyedCommandWhoseOutcomeIsUnknownNamesItsKey(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/credit/subjects/91310000MA1FL1800B/records", answerOutcomeUnknown)
	f.on("POST /v1/credit/authorizations", func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack() // the gateway got it, then the connection broke
		require.NoError(t, err)
		_ = conn.Close()
	})
	f.on("GET /v1/credit/records/rating-1", answerOutcomeUnknown)
	env := map[string]string{"DELTALEDGER_API_KEY": "k"}
	lookup := []string{"--gateway", f.srv.URL, "credit", "lookup", "91310000MA1FL1800B", "--purpose", "due diligence"}

	code, _, errOut := cli(t, env, lookup...)
	assert.Equal(t, 9, code, errOut)
	key := f.last().Header.Get("Idempotency-Key")
	require.Regexp(t, `^dlc-[0-9a-f]{32}$`, key)
	assert.Contains(t, errOut, "repeat the command with --idempotency-key "+key+", which is answered its outcome rather than making it twice\n")

	code, _, errOut = cli(t, env, append(lookup, "--idempotency-key", "lookup-acme-1")...)
	assert.Equal(t, 9, code)
	assert.Contains(t, errOut, "--idempotency-key lookup-acme-1,")

	code, _, errOut = cli(t, map[string]string{"DELTALEDGER_API_KEY": "k", "LANG": "zh_CN.UTF-8"}, append(lookup, "--idempotency-key", "lookup-acme-1")...)
	assert.Equal(t, 9, code)
	assert.Contains(t, errOut, "请以 --idempotency-key lookup-acme-1 重复该命令")

	// Any submit: the connection reset after the gateway read the request.
	code, _, errOut = cli(t, env, "--gateway", f.srv.URL, "credit", "authorize", "--auth-id", "auth-1", "--grantee", "anhui.buyer",
		"--purpose", "due diligence", "--valid-until", "2027-01-01T00:00:00Z")
	assert.Equal(t, exitUnavailable, code, errOut)
	key = f.last().Header.Get("Idempotency-Key")
	require.Regexp(t, `^dlc-[0-9a-f]{32}$`, key)
	assert.Contains(t, errOut, "--idempotency-key "+key+",")

	// Interrupted (Ctrl-C) while the gateway had the request.
	f.on("POST /v1/credit/authorizations", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	code, _, errOut = cliWith(t, ctx, env, nil, "--gateway", f.srv.URL, "credit", "authorize", "--auth-id", "auth-1", "--grantee", "anhui.buyer",
		"--purpose", "due diligence", "--valid-until", "2027-01-01T00:00:00Z", "--idempotency-key", "auth-acme-1")
	assert.Equal(t, exitInterrupted, code, errOut)
	assert.Contains(t, errOut, "--idempotency-key auth-acme-1,")

	// A read carries no key, and is named none.
	code, _, errOut = cli(t, env, "--gateway", f.srv.URL, "credit", "record", "rating-1")
	assert.Equal(t, 9, code)
	assert.NotContains(t, errOut, "--idempotency-key")
}

// A command of two keyed steps names the command's key, from which the
// step's is derived, so that the repeat derives the same two keys: made
// here when not given.
func TestATwoStepCommandNamesTheCommandsKey(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/trades/trade-1/terms", answerOutcomeUnknown)
	base := []string{"--gateway", f.srv.URL, "--api-key", "k", "trades", "order", "--id", "trade-1", "--listing", "listing-1", "--conditions", "SFTP"}

	code, _, errOut := cli(t, nil, append(base, "--idempotency-key", "cmd-1")...)
	assert.Equal(t, 9, code, errOut)
	assert.Equal(t, "cmd-1.terms", f.last().Header.Get("Idempotency-Key"))
	assert.Contains(t, errOut, "--idempotency-key cmd-1,")

	code, _, errOut = cli(t, nil, base...)
	assert.Equal(t, 9, code, errOut)
	sent := f.last().Header.Get("Idempotency-Key")
	require.Regexp(t, `^dlc-[0-9a-f]{32}\.terms$`, sent, "the step's key is derived from the command's, made here")
	assert.Contains(t, errOut, "--idempotency-key "+sent[:len(sent)-len(".terms")]+",")
}

// The gateway keeps a refusal under its key for 24 hours and replays it;
// the command printed it as a fresh refusal, and a lender repeating a
// lookup refused 403 (the authorisation not yet in force) under its own
// key took the old 403 for the new state of things.
func TestAReplayedRefusalSaysSoAndAsksForAnotherKey(t *testing.T) {
	f := newFake(t, false)
	replayed := true
	f.on("GET /v1/credit/subjects/91310000MA1FL1800B/records", func(w http.ResponseWriter, r *http.Request) {
		if replayed {
			w.Header().Set("Idempotent-Replayed", "true")
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"code":"FORBIDDEN","message":"authorization auth-1 is not in force"}`)
	})
	args := []string{"--gateway", f.srv.URL, "--api-key", "k", "credit", "lookup", "91310000MA1FL1800B", "--purpose", "due diligence",
		"--authorization", "auth-1", "--idempotency-key", "lookup-acme-1"}

	code, _, errOut := cli(t, nil, args...)
	assert.Equal(t, 5, code)
	assert.Contains(t, errOut, "authorization auth-1 is not in force (replayed)\n")
	assert.Contains(t, errOut, "under --idempotency-key lookup-acme-1: once its cause is put right, repeat the command with another --idempotency-key, or none\n")

	replayed = false
	code, _, errOut = cli(t, nil, args...)
	assert.Equal(t, 5, code)
	assert.NotContains(t, errOut, "replayed")
	assert.NotContains(t, errOut, "--idempotency-key")
}

// A record whose contents do not match its public hash, in a lookup the
// gateway answered complete with the record verified, exited 0; and exit
// 8's advice to repeat is wrong for it, since a repeat reads the same
// contents. It exits 8 naming the record's contents as not matching the
// public hash, without advice to repeat.
func TestALookupWithContentsThatDoNotMatchTheirHashFails(t *testing.T) {
	f := newFake(t, false)
	contents := `{"recordId":"default-1","type":"DEFAULT","summary":"none"}`
	f.on("GET /v1/credit/subjects/91310000MA1FL1800B/records", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"transaction_id":"%s","block_number":9,
			"trace":{"traceId":"trace-1","querierId":"anhui.buyer","purpose":"due diligence","basis":"AUTHORIZATION","at":"2026-12-07T13:00:00Z","expiresAt":"2026-12-07T13:15:00Z"},
			"records":[{"record":{"recordId":"default-1","agencyId":"zhejiang.agency","agencyMsp":"ZhejiangMSP","contentHash":"%s"},"heldBy":"ZhejiangMSP","contents":%s,"verified":true}],
			"holders":[{"mspId":"ZhejiangMSP","ok":true}],
			"complete":true}`, txHex, client.SHA256([]byte("unpaid")), contents)
	})
	args := []string{"--gateway", f.srv.URL, "credit", "lookup", "91310000MA1FL1800B", "--purpose", "due diligence", "-o", "table"}

	code, out, errOut := cli(t, map[string]string{"DELTALEDGER_API_KEY": "k"}, args...)
	assert.Equal(t, exitUnavailable, code, errOut)
	assert.Regexp(t, `(?m)^default-1\s+zhejiang.agency\s+ZhejiangMSP\s+true\s+false`, out, "printed, checked here: false")
	assert.Equal(t, "Error: the lookup under trace trace-1 returned contents that are not their record's\n"+
		"  record default-1: its contents do not match the public content hash; they are not the record's, and repeating the lookup reads them again: report it to the agency and the regulator\n", errOut)

	code, _, errOut = cli(t, map[string]string{"DELTALEDGER_API_KEY": "k", "LANG": "zh_CN.UTF-8"}, args...)
	assert.Equal(t, exitUnavailable, code)
	assert.Regexp(t, regexp.MustCompile(`信用记录 default-1：其内容与公开的内容哈希不符`), errOut)
	assert.NotContains(t, errOut, "重复该命令")
}
