package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgerindex"
)

// request is what the fake gateway received.
type request struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// fakeGateway serves canned answers by "METHOD /path" and records requests.
type fakeGateway struct {
	t      *testing.T
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []request
	routes map[string]http.HandlerFunc
}

func newFake(t *testing.T, tlsServer bool) *fakeGateway {
	f := &fakeGateway{t: t, routes: map[string]http.HandlerFunc{}}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.reqs = append(f.reqs, request{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body})
		h, ok := f.routes[r.Method+" "+r.URL.Path]
		f.mu.Unlock()
		if !ok {
			jsonAnswer(w, 404, map[string]string{"code": "NOT_FOUND", "message": "no " + r.URL.Path})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h(w, r)
	})
	f.srv = httptest.NewUnstartedServer(h)
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	if tlsServer {
		// Members who sign for themselves present their certificate.
		f.srv.TLS = &tls.Config{ClientAuth: tls.RequestClientCert}
		f.srv.StartTLS()
	} else {
		f.srv.Start()
	}
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeGateway) on(route string, h http.HandlerFunc) { f.routes[route] = h }

func (f *fakeGateway) last() request {
	f.mu.Lock()
	defer f.mu.Unlock()
	require.NotEmpty(f.t, f.reqs)
	return f.reqs[len(f.reqs)-1]
}

func (f *fakeGateway) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

func jsonAnswer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func submitted(result any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("wait") == "false" {
			jsonAnswer(w, 202, map[string]any{"transaction_id": strings.Repeat("ab", 32), "status_url": "/v1/transactions/" + strings.Repeat("ab", 32)})
			return
		}
		jsonAnswer(w, 201, map[string]any{"transaction_id": strings.Repeat("ab", 32), "block_number": 12, "result": result})
	}
}

// cli runs the command line with the environment env.
func cli(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cliWith(t, context.Background(), env, nil, args...)
}

// cliWith runs the command line in ctx, after adjust (if not nil) has
// changed the app.
func cliWith(t *testing.T, ctx context.Context, env map[string]string, adjust func(*app), args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := newApp(strings.NewReader(""), &out, &errOut, func(k string) string { return env[k] })
	if adjust != nil {
		adjust(a)
	}
	code = a.run(ctx, args)
	return code, out.String(), errOut.String()
}

// keysFile writes a demo keys file naming the fake gateway as Jiangsu's.
func keysFile(t *testing.T, f *fakeGateway) string {
	t.Helper()
	dir := t.TempDir()
	ca := filepath.Join(dir, "jiangsu-ca.pem")
	if f.srv.Certificate() != nil {
		require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: f.srv.Certificate().Raw}), 0o600))
	}
	file := filepath.Join(dir, "demo-keys.env")
	require.NoError(t, os.WriteFile(file, []byte(fmt.Sprintf(`# Demo API keys
JIANGSU_GW=%s
JIANGSU_CA=%s
JIANGSU_BUYER_KEY=dlk_buyer_secret
export JIANGSU_HOLDER_KEY="dlk_holder_secret"
`, f.srv.URL, ca)), 0o600))
	return file
}

func me(w http.ResponseWriter, r *http.Request) {
	jsonAnswer(w, 200, map[string]any{"id": "jiangsu.buyer", "mspId": "JiangsuMSP", "roles": []string{"buyer"}, "uscc": "91320000MA1FL1900X",
		"name": "Jiangsu buyer", "region": "jiangsu", "status": "ACTIVE"})
}

func TestWhoAmIWithFlagsAndEnvironment(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/participants/me", me)

	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "dlk_flag", "whoami")
	require.Equal(t, 0, code, errOut)
	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &p), out)
	assert.Equal(t, "jiangsu.buyer", p["id"])
	assert.Equal(t, "Bearer dlk_flag", f.last().Header.Get("Authorization"))
	assert.Contains(t, f.last().Header.Get("User-Agent"), "deltaledger-cli/")

	code, _, errOut = cli(t, map[string]string{"DELTALEDGER_GATEWAY": f.srv.URL, "DELTALEDGER_API_KEY": "dlk_env"}, "whoami")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "Bearer dlk_env", f.last().Header.Get("Authorization"))

	code, out, _ = cli(t, map[string]string{"DELTALEDGER_GATEWAY": f.srv.URL, "DELTALEDGER_API_KEY": "dlk_env"}, "whoami", "-o", "table")
	require.Equal(t, 0, code)
	assert.Regexp(t, `(?m)^FIELD\s+VALUE$`, out)
	assert.Regexp(t, `(?m)^roles\s+buyer$`, out)
	assert.Regexp(t, `(?m)^mspId\s+JiangsuMSP$`, out)
}

func TestProfilesReadTheDemoKeysFile(t *testing.T) {
	f := newFake(t, true) // HTTPS: the profile's CA must be used
	f.on("GET /v1/participants/me", me)
	keys := keysFile(t, f)

	for _, args := range [][]string{
		{"--org", "jiangsu", "--role", "buyer", "--keys-file", keys, "whoami"},
		{"--profile", "jiangsu/buyer", "--keys-file", keys, "whoami"},
		{"--org", "JIANGSU", "--role", "Buyer", "--keys-file", keys, "whoami"},
	} {
		code, out, errOut := cli(t, nil, args...)
		require.Equal(t, 0, code, "%v: %s", args, errOut)
		assert.Contains(t, out, `"jiangsu.buyer"`)
		assert.Equal(t, "Bearer dlk_buyer_secret", f.last().Header.Get("Authorization"))
	}

	// Environment variables name the profile too; the profile wins over
	// DELTALEDGER_API_KEY, a flag wins over the profile.
	env := map[string]string{"DELTALEDGER_ORG": "jiangsu", "DELTALEDGER_ROLE": "holder", "DELTALEDGER_KEYS_FILE": keys, "DELTALEDGER_API_KEY": "dlk_env"}
	code, _, errOut := cli(t, env, "whoami")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "Bearer dlk_holder_secret", f.last().Header.Get("Authorization"))
	code, _, errOut = cli(t, env, "--api-key", "dlk_flag", "whoami")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "Bearer dlk_flag", f.last().Header.Get("Authorization"))

	// Without the profile's CA the HTTPS gateway is not trusted.
	code, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "whoami")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "certificate")

	for _, bad := range [][]string{
		{"--org", "jiangsu", "--keys-file", keys, "whoami"},
		{"--org", "jiangsu", "--role", "cashier", "--keys-file", keys, "whoami"},
		{"--org", "tibet", "--role", "buyer", "--keys-file", keys, "whoami"},
		{"--org", "jiangsu", "--role", "agency", "--keys-file", keys, "whoami"},
		{"--profile", "jiangsu", "--keys-file", keys, "whoami"},
		{"--org", "jiangsu", "--role", "buyer", "--keys-file", filepath.Join(t.TempDir(), "none.env"), "whoami"},
	} {
		code, _, errOut := cli(t, nil, bad...)
		assert.Equal(t, 2, code, "%v: %s", bad, errOut)
	}
}

func TestApplyHashesTheFileLocally(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/assets", submitted(map[string]any{"id": "asset-1", "status": "PENDING_REVIEW"}))
	data := filepath.Join(t.TempDir(), "data.csv")
	secret := "berth,moves\n1,very secret numbers\n"
	require.NoError(t, os.WriteFile(data, []byte(secret), 0o600))

	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "--idempotency-key", "apply-asset-1",
		"assets", "apply", "--id", "asset-1", "--name", "Port moves", "--category", "transport", "--region", "shanghai",
		"--description", "Hourly moves", "--content-file", data)
	require.Equal(t, 0, code, errOut)
	r := f.last()
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, "apply-asset-1", r.Header.Get("Idempotency-Key"))
	assert.JSONEq(t, `{"id":"asset-1","name":"Port moves","category":"transport","sourceRegion":"shanghai","description":"Hourly moves","contentHash":"`+
		client.SHA256([]byte(secret))+`"}`, string(r.Body))
	assert.NotContains(t, string(r.Body), "secret numbers", "the data never leaves the machine")
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.Equal(t, strings.Repeat("ab", 32), res["transaction_id"])
	assert.Equal(t, float64(12), res["block_number"])
	assert.Equal(t, "PENDING_REVIEW", res["result"].(map[string]any)["status"])

	// --no-wait: accepted, not committed.
	code, out, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "--no-wait", "assets", "apply", "--id", "asset-2",
		"--name", "n", "--category", "transport", "--region", "shanghai", "--description", "d", "--content-hash", client.SHA256(nil))
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "wait=false", f.last().Query)
	assert.Contains(t, out, `"committed": false`)

	// Either the file or the hash, and a well-formed hash.
	for _, extra := range [][]string{{}, {"--content-file", data, "--content-hash", client.SHA256(nil)}, {"--content-hash", "ABC"}} {
		args := append([]string{"--gateway", f.srv.URL, "assets", "apply", "--id", "a", "--name", "n", "--category", "c", "--region", "shanghai", "--description", "d"}, extra...)
		code, _, _ := cli(t, nil, args...)
		assert.Equal(t, 2, code, "%v", extra)
	}
}

func TestBrowseListingsAsATableAcrossPages(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/categories/transport/listings", func(w http.ResponseWriter, r *http.Request) {
		page := map[string]any{}
		if r.URL.Query().Get("cursor") == "" {
			page["items"] = []model.Listing{
				{ID: "listing-a", AssetID: "asset-a", RightType: "USE", Pricing: "FIXED", PriceFen: 150000, Category: "transport", SourceRegion: "shanghai", SellerID: "shanghai.holder", Status: "ACTIVE"},
				{ID: "listing-b", AssetID: "asset-b", RightType: "HOLDING", Pricing: "NEGOTIABLE", PriceFen: 900000, Category: "transport", SourceRegion: "anhui", SellerID: "anhui.holder", Status: "ACTIVE"},
			}
			page["next_cursor"] = "c1.next"
		} else {
			page["items"] = []model.Listing{{ID: "listing-c", AssetID: "asset-c", RightType: "OPERATION", Pricing: "FIXED", PriceFen: 1, Category: "transport", SellerID: "zhejiang.holder", Status: "ACTIVE"}}
		}
		jsonAnswer(w, 200, page)
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "listings", "browse", "--category", "transport", "-o", "table")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	assert.Regexp(t, `^ID\s+ASSET\s+RIGHT\s+PRICING\s+PRICE_FEN\s+CATEGORY\s+SOURCE\s+SELLER\s+STATUS$`, lines[0])
	assert.Regexp(t, `^listing-a\s+asset-a\s+USE\s+FIXED\s+150000\s+transport\s+shanghai\s+shanghai.holder\s+ACTIVE$`, lines[1])
	assert.Regexp(t, `^listing-c\s+asset-c\s+OPERATION\s+FIXED\s+1\s+transport\s+-\s+zhejiang.holder\s+ACTIVE$`, lines[3])
	assert.Equal(t, "cursor=c1.next", f.last().Query)

	n := f.count()
	code, out, _ = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "listings", "browse", "--category", "transport", "--limit", "1", "--page-size", "5")
	require.Equal(t, 0, code)
	var items []model.Listing
	require.NoError(t, json.Unmarshal([]byte(out), &items))
	require.Len(t, items, 1)
	assert.Equal(t, "listing-a", items[0].ID)
	assert.Equal(t, n+1, f.count(), "one page is enough for one item")
	assert.Equal(t, "limit=5", f.last().Query)
}

func TestUsageErrorsExitWith2(t *testing.T) {
	f := newFake(t, false)
	base := []string{"--gateway", f.srv.URL, "--api-key", "k"}
	for _, args := range [][]string{
		append(base, "listings", "browse"),
		append(base, "listings", "browse", "--category", "transport", "--region", "anhui"),
		append(base, "assets", "get"),
		append(base, "assets", "get", "a", "b"),
		append(base, "assets", "review", "a1"),
		append(base, "nonsense"),
		append(base, "whoami", "--no-such-flag"),
		append(base, "-o", "yaml", "whoami"),
		append(base, "trades", "terms", "t1", "zero"),
		append(base, "rights", "grant", "--asset", "a", "--grantee", "g", "--type", "USE", "--purpose", "p", "--regions", "anhui", "--valid-until", "soon"),
		{"whoami"}, // no gateway
	} {
		code, _, errOut := cli(t, nil, args...)
		assert.Equal(t, 2, code, "%v: %s", args, errOut)
		assert.Contains(t, errOut, "Error:")
	}
	assert.Zero(t, f.count(), "nothing reached the gateway")
}

// Each time flag reports a bad time under its own name (timeFlag keeps it),
// as a usage error, before anything reaches the gateway.
func TestABadTimeNamesItsFlag(t *testing.T) {
	f := newFake(t, false)
	base := []string{"--gateway", f.srv.URL, "--api-key", "k"}
	for _, tc := range []struct {
		flag string
		args []string
	}{
		{"valid-until", []string{"credit", "stage", "--record-id", "r", "--subject", "s", "--type", "RATING", "--grade", "A",
			"--evidence-hash", strings.Repeat("ab", 32), "--valid-until", "soon", "--summary", "x"}},
		{"valid-until", []string{"credit", "authorize", "--auth-id", "a", "--grantee", "g", "--purpose", "p", "--valid-until", "soon"}},
		{"valid-from", []string{"rights", "grant", "--asset", "a", "--grantee", "g", "--type", "USE", "--purpose", "p", "--regions", "anhui",
			"--valid-from", "soon", "--valid-until", "1y"}},
	} {
		code, _, errOut := cli(t, nil, append(base, tc.args...)...)
		assert.Equal(t, 2, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, "--"+tc.flag+` "soon"`, tc.args)
	}
	assert.Zero(t, f.count(), "nothing reached the gateway")
}

func TestTheTradeCommands(t *testing.T) {
	f := newFake(t, false)
	trade := func(status string) http.HandlerFunc {
		return submitted(map[string]any{"id": "trade-1", "status": status})
	}
	f.on("POST /v1/trades", trade("ORDERED"))
	f.on("POST /v1/trades/trade-1/accept", trade("ACCEPTED"))
	f.on("POST /v1/trades/trade-1/payment", trade("PAID"))
	f.on("POST /v1/trades/trade-1/deliver", trade("DELIVERED"))
	f.on("POST /v1/trades/trade-1/confirm", trade("COMPLETED"))
	f.on("POST /v1/trades/trade-1/reject", trade("REJECTED"))
	f.on("POST /v1/trades/proposals", trade("NEGOTIATING"))
	base := []string{"--gateway", f.srv.URL, "--api-key", "k"}
	delivered := filepath.Join(t.TempDir(), "delivery.zip")
	require.NoError(t, os.WriteFile(delivered, []byte("zip"), 0o600))
	for _, tc := range []struct {
		args   []string
		path   string
		body   string
		status string
	}{
		{[]string{"trades", "order", "--id", "trade-1", "--listing", "listing-1"}, "/v1/trades", `{"tradeId":"trade-1","listingId":"listing-1"}`, "ORDERED"},
		{[]string{"trades", "accept", "trade-1"}, "/v1/trades/trade-1/accept", `{}`, "ACCEPTED"},
		{[]string{"trades", "pay", "trade-1", "--settlement-ref", "BANK-1", "--amount-fen", "150000"}, "/v1/trades/trade-1/payment", `{"settlementRef":"BANK-1","amountFen":150000}`, "PAID"},
		{[]string{"trades", "deliver", "trade-1", "--delivery-file", delivered}, "/v1/trades/trade-1/deliver", `{"deliveryHash":"` + client.SHA256([]byte("zip")) + `"}`, "DELIVERED"},
		{[]string{"trades", "confirm", "trade-1"}, "/v1/trades/trade-1/confirm", `{}`, "COMPLETED"},
		{[]string{"trades", "reject", "trade-1", "--reason", "sold out"}, "/v1/trades/trade-1/reject", `{"reason":"sold out"}`, "REJECTED"},
	} {
		code, out, errOut := cli(t, nil, append(base, tc.args...)...)
		require.Equal(t, 0, code, "%v: %s", tc.args, errOut)
		r := f.last()
		assert.Equal(t, tc.path, r.Path)
		assert.JSONEq(t, tc.body, string(r.Body), "%v", tc.args)
		assert.Contains(t, out, `"status": "`+tc.status+`"`)
	}

	f.on("POST /v1/trades/trade-1/close-others", submitted(map[string]any{"saleTradeId": "trade-1", "tradeIds": []string{"trade-2", "trade-3"}}))
	code, out, errOut := cli(t, nil, append(base, "trades", "close-others", "trade-1")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "/v1/trades/trade-1/close-others", f.last().Path)
	assert.JSONEq(t, `{}`, string(f.last().Body))
	assert.Contains(t, out, `"tradeIds": [`)
	assert.Contains(t, out, `"trade-3"`)
	code, _, errOut = cli(t, nil, append(base, "trades", "close-others", "trade-1", "--from", "next-key")...)
	require.Equal(t, 0, code, errOut)
	assert.JSONEq(t, `{"from":"next-key"}`, string(f.last().Body), "the next page")
}

// TestWithdrawTermsNamesTheRoundAndItsListing: trades withdraw-terms posts
// the round, and the listing round 1 was staged for, to the withdrawal
// route; a ROUND that is no round reaches no gateway.
func TestWithdrawTermsNamesTheRoundAndItsListing(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/trades/trade-1/terms/withdraw", submitted(map[string]any{"tradeId": "trade-1", "round": 1, "termsHash": strings.Repeat("a", 64)}))
	base := []string{"--gateway", f.srv.URL, "--api-key", "k"}
	for _, tc := range []struct {
		args []string
		body string
	}{
		{[]string{"trades", "withdraw-terms", "trade-1", "1", "--listing", "listing-1"}, `{"round":1,"listingId":"listing-1"}`},
		{[]string{"trades", "withdraw-terms", "trade-1", "2"}, `{"round":2}`},
	} {
		code, out, errOut := cli(t, nil, append(base, tc.args...)...)
		require.Equal(t, 0, code, "%v: %s", tc.args, errOut)
		assert.JSONEq(t, tc.body, string(f.last().Body), "%v", tc.args)
		assert.Contains(t, out, `"termsHash"`)
	}
	before := f.count()
	code, _, _ := cli(t, nil, append(base, "trades", "withdraw-terms", "trade-1", "0")...)
	assert.Equal(t, 2, code)
	assert.Equal(t, before, f.count())
}

// TestTheTradeCommandsStageTermsFirst: order (with conditions), propose and
// counter stage their private terms (round 1 with the listing, a counter's
// the trade's next round), then make the public step without them; the
// staging waits for its commit and takes an idempotency key of its own.
func TestTheTradeCommandsStageTermsFirst(t *testing.T) {
	f := newFake(t, false)
	trade := func(status string) http.HandlerFunc {
		return submitted(map[string]any{"id": "trade-1", "status": status})
	}
	for _, id := range []string{"trade-1", "trade-2"} {
		f.on("POST /v1/trades/"+id+"/terms", submitted(map[string]any{"tradeId": id, "round": 1, "termsHash": strings.Repeat("a", 64)}))
	}
	f.on("POST /v1/trades", trade("ORDERED"))
	f.on("POST /v1/trades/proposals", trade("NEGOTIATING"))
	f.on("POST /v1/trades/trade-2/counter", trade("NEGOTIATING"))
	f.on("GET /v1/trades/trade-2", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"id": "trade-2", "status": "NEGOTIATING", "offers": []map[string]any{{"round": 1}, {"round": 2}}})
	})
	base := []string{"--gateway", f.srv.URL, "--api-key", "k", "--no-wait", "--idempotency-key", "cmd-1"}
	salt := strings.Repeat("cd", 16)
	for _, tc := range []struct {
		args              []string
		stagePath, staged string
		path, body        string
	}{
		{[]string{"trades", "order", "--id", "trade-1", "--listing", "listing-1", "--conditions", "SFTP", "--salt", salt},
			"/v1/trades/trade-1/terms", `{"round":1,"listingId":"listing-1","terms":{"conditions":"SFTP","salt":"` + salt + `"}}`,
			"/v1/trades", `{"tradeId":"trade-1","listingId":"listing-1"}`},
		{[]string{"trades", "propose", "--id", "trade-2", "--listing", "listing-2", "--price-fen", "120000", "--salt", salt},
			"/v1/trades/trade-2/terms", `{"round":1,"listingId":"listing-2","terms":{"priceFen":120000,"salt":"` + salt + `"}}`,
			"/v1/trades/proposals", `{"tradeId":"trade-2","listingId":"listing-2"}`},
		{[]string{"trades", "counter", "trade-2", "--price-fen", "110000", "--salt", salt},
			"/v1/trades/trade-2/terms", `{"round":3,"terms":{"priceFen":110000,"salt":"` + salt + `"}}`,
			"/v1/trades/trade-2/counter", `{}`},
	} {
		before := f.count()
		code, _, errOut := cli(t, nil, append(base, tc.args...)...)
		require.Equal(t, 0, code, "%v: %s", tc.args, errOut)
		f.mu.Lock()
		reqs := slices.DeleteFunc(slices.Clone(f.reqs[before:]), func(r request) bool { return r.Method == "GET" })
		f.mu.Unlock()
		require.Len(t, reqs, 2, "%v", tc.args)
		assert.Equal(t, tc.stagePath, reqs[0].Path, "%v: the terms are staged first", tc.args)
		assert.JSONEq(t, tc.staged, string(reqs[0].Body), "%v", tc.args)
		assert.Empty(t, reqs[0].Query, "%v: the staging waits for its commit", tc.args)
		assert.Equal(t, "cmd-1.terms", reqs[0].Header.Get("Idempotency-Key"))
		assert.Equal(t, tc.path, reqs[1].Path, "%v", tc.args)
		assert.JSONEq(t, tc.body, string(reqs[1].Body), "%v: the public step carries no terms", tc.args)
		assert.Equal(t, "cmd-1", reqs[1].Header.Get("Idempotency-Key"))
	}
}

func TestCreditLookupTable(t *testing.T) {
	f := newFake(t, false)
	contents := `{"recordId":"rating-1","subjectUscc":"91310000MA1FL1800B","type":"RATING","grade":"A","evidenceHash":"` +
		client.SHA256([]byte("audit")) + `","validUntil":"2027-01-01T00:00:00Z","summary":"Annual enterprise rating"}`
	f.on("GET /v1/credit/subjects/91310000MA1FL1800B/records", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"trace":{"traceId":"trace-1","querierId":"jiangsu.buyer","purpose":"due diligence","basis":"AUTHORIZATION","at":"2026-01-01T00:00:00Z"},
			"records":[{"record":{"recordId":"rating-1","agencyId":"zhejiang.agency","contentHash":"%s"},"heldBy":"ZhejiangMSP","contents":%s,"verified":true},
				{"record":{"recordId":"default-1","agencyId":"zhejiang.agency","contentHash":"%s"},"heldBy":"ZhejiangMSP","verified":false,"expired":true}],
			"holders":[{"mspId":"ZhejiangMSP","ok":true}],"complete":true}`, client.SHA256([]byte(contents)), contents, client.SHA256([]byte("withheld")))
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "credit", "lookup", "91310000MA1FL1800B",
		"--purpose", "due diligence", "--authorization", "auth-1", "-o", "table")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "authorization=auth-1&purpose=due+diligence", f.last().Query)
	assert.Contains(t, out, "trace trace-1 by jiangsu.buyer")
	assert.Regexp(t, `(?m)^rating-1\s+zhejiang.agency\s+ZhejiangMSP\s+true\s+true\s+false\s+RATING\s+A\s+-\s+Annual enterprise rating$`, out)
	assert.Regexp(t, `(?m)^default-1\s+zhejiang.agency\s+ZhejiangMSP\s+false\s+false\s+true\s+-\s+-\s+-\s+-$`, out, "an expired record withheld shows it")

	code, out, _ = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "credit", "lookup", "91310000MA1FL1800B", "--purpose", "due diligence")
	require.Equal(t, 0, code)
	var res client.LookupResult
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Len(t, res.Records, 2)
	assert.True(t, res.Records[1].Expired, "the JSON answer carries the mark")
	c, err := res.Records[0].DecodeContents()
	require.NoError(t, err)
	assert.Equal(t, model.RecordTypeRating, c.Type)
}

func TestEventsCommand(t *testing.T) {
	f := newFake(t, false)
	tx := strings.Repeat("ef", 32)
	f.on("GET /v1/events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i, name := range []string{"AssetApplied", "TradeCompleted"} {
			fmt.Fprintf(w, "id: %d-%s\nevent: %s\ndata: {\"name\":%q,\"block_number\":%d,\"transaction_id\":%q,\"payload\":{\"id\":\"x\"}}\n\n", 5+i, tx, name, name, 5+i, tx)
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "events", "--start-block", "5", "--idle", "200ms")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	var ev client.Event
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &ev))
	assert.Equal(t, client.Event{ID: "6-" + tx, Name: "TradeCompleted", BlockNumber: 6, TransactionID: tx, Payload: json.RawMessage(`{"id":"x"}`)}, ev)
	assert.Equal(t, "start_block=5", f.last().Query)

	code, out, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "events", "--follow", "--count", "1", "--from", "4-"+tx, "-o", "table")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `^5\s+AssetApplied\s+efefefefefefefef\s+\{"id":"x"\}\n$`, out)
	assert.Equal(t, "4-"+tx, f.last().Header.Get("Last-Event-ID"))
}

// `rights renounce RIGHT` and `rights accept RIGHT` post an empty body to the right's route of that name, and
// `rights decline RIGHT --reason TEXT` posts the reason to its decline route; each prints the right as it now reads.
// The right is required, and so is the reason of a declining.
func TestRightsRenounceAcceptAndDecline(t *testing.T) {
	f := newFake(t, false)
	for _, c := range []struct {
		args                []string
		route, body, status string
	}{
		{[]string{"renounce", "R-1"}, "POST /v1/rights/R-1/renounce", `{}`, model.RightRenounced},
		{[]string{"accept", "R-1"}, "POST /v1/rights/R-1/accept", `{}`, model.RightActive},
		{[]string{"decline", "R-2", "--reason", "never asked"}, "POST /v1/rights/R-2/decline", `{"reason":"never asked"}`, model.RightDeclined},
	} {
		f.on(c.route, submitted(map[string]any{"id": c.args[1], "status": c.status}))
		code, out, errOut := cli(t, nil, append([]string{"--gateway", f.srv.URL, "--api-key", "k", "rights"}, c.args...)...)
		require.Equal(t, 0, code, errOut)
		r := f.last()
		assert.Equal(t, c.route, r.Method+" "+r.Path)
		assert.JSONEq(t, c.body, string(r.Body), c.route)
		assert.Contains(t, out, `"status": "`+c.status+`"`)
	}
	for _, args := range [][]string{{"renounce"}, {"accept"}, {"decline", "R-2"}} {
		code, _, _ := cli(t, nil, append([]string{"--gateway", f.srv.URL, "--api-key", "k", "rights"}, args...)...)
		assert.Equal(t, 2, code, "%v: the right (and a declining's reason) is required", args)
	}
}

func TestHelpDocumentsTheCommands(t *testing.T) {
	code, out, _ := cli(t, nil, "--help")
	require.Equal(t, 0, code)
	for _, want := range []string{"--org ORG --role ROLE", "DELTALEDGER_GATEWAY", "DELTALEDGER_API_KEY", "DELTALEDGER_CACERT",
		defaultKeysFile, "assets", "listings", "trades", "credit", "events", "whoami", "-o table"} {
		assert.Contains(t, out, want)
	}
	code, out, _ = cli(t, nil, "assets", "apply", "--help")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "--content-file")
	assert.Contains(t, out, "never sent")
}

func TestMarketCommands(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/market/statistics", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"groupBy": "region", "indexedBlock": 88, "groups": []map[string]any{
			{"region": "shanghai", "volume": 3, "disclosedVolume": 2, "undisclosedVolume": 1, "sumPriceFen": 300000, "averagePriceFen": 150000}},
			"total": map[string]any{"volume": 3, "disclosedVolume": 2, "undisclosedVolume": 1, "sumPriceFen": 300000, "averagePriceFen": 150000}})
	})
	f.on("GET /v1/market/price-index", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"interval": "week", "indexedBlock": 88, "base": "2026-11-23T00:00:00+08:00", "basePriceFen": 150000,
			"points": []map[string]any{{"start": "2026-11-23T00:00:00+08:00", "end": "2026-11-30T00:00:00+08:00", "volume": 3,
				"disclosedVolume": 2, "undisclosedVolume": 1, "sumPriceFen": 300000, "averagePriceFen": 150000, "index": 1000}}})
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "market", "stats", "--group-by", "region", "--from", "2026-11-01", "-o", "table")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "from=2026-11-01T00%3A00%3A00%2B08%3A00&groupBy=region", f.last().Query, "a date is midnight China Standard Time")
	assert.Regexp(t, `(?m)^shanghai\s+-\s+3\s+2\s+1\s+300000\s+150000$`, out)
	assert.Regexp(t, `(?m)^TOTAL\s+-\s+3\s+`, out)
	assert.Contains(t, out, "complete up to block 88")

	code, out, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "market", "price-index", "--category", "transport", "--interval", "week")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "category=transport&interval=week", f.last().Query)
	var idx ledgerindex.PriceIndex
	require.NoError(t, json.Unmarshal([]byte(out), &idx))
	require.Len(t, idx.Points, 1)
	assert.Equal(t, int64(1000), *idx.Points[0].Index)

	code, _, _ = cli(t, nil, "--gateway", f.srv.URL, "market", "stats", "--from", "yesterday")
	assert.Equal(t, 2, code)
}

// `market credit-lookups` prints an operator's counts with a note, in the
// reader's language, of the days left out; the regulator's exact counts
// without it.
func TestMarketCreditLookupsTable(t *testing.T) {
	f := newFake(t, false)
	exact := false
	f.on("GET /v1/market/credit-lookups", func(w http.ResponseWriter, r *http.Request) {
		answer := map[string]any{"exact": exact, "minimumCount": 5, "indexedBlock": 88, "total": 12,
			"counts": []map[string]any{{"querierRegion": "zhejiang", "subjectRegion": "shanghai", "lookups": 12}}}
		if exact {
			answer["minimumCount"], answer["total"] = 1, 13
			answer["counts"] = []map[string]any{{"querierRegion": "zhejiang", "subjectRegion": "shanghai", "lookups": 13}}
		}
		jsonAnswer(w, 200, answer)
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "market", "credit-lookups", "--from", "2026-05-01", "-o", "table")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "from=2026-05-01T00%3A00%3A00%2B08%3A00", f.last().Query)
	assert.Regexp(t, `(?m)^QUERIER_REGION\s+SUBJECT_REGION\s+LOOKUPS$`, out)
	assert.Regexp(t, `(?m)^zhejiang\s+shanghai\s+12$`, out)
	assert.Regexp(t, `(?m)^TOTAL\s+-\s+12$`, out)
	assert.Contains(t, errOut, "fewer than 5 lookups")
	_, _, errOut = cli(t, map[string]string{"LANG": "zh_CN.UTF-8"}, "--gateway", f.srv.URL, "market", "credit-lookups", "-o", "table")
	assert.Contains(t, errOut, "少于 5 次")

	exact = true
	code, out, errOut = cli(t, nil, "--gateway", f.srv.URL, "market", "credit-lookups", "-o", "table")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^zhejiang\s+shanghai\s+13$`, out)
	assert.Empty(t, errOut, "nothing was withheld")
}

// `participants suspend` suspends on the ledger, then revokes a certified member's certificates at the CA; a
// member the gateway did not onboard, or --keep-certificates, leaves the suspension alone; a failed revocation
// says what happened and what to run.
func TestSuspendAlsoRevokesACertifiedMember(t *testing.T) {
	f := newFake(t, false)
	suspended := func(certified bool) http.HandlerFunc {
		p := map[string]any{"id": "jiangsu.e1", "status": "SUSPENDED"}
		if certified {
			p["certifiedRoles"] = []string{"holder"}
		}
		return submitted(p)
	}
	revocation := func(status int, v any) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { jsonAnswer(w, status, v) }
	}
	base := []string{"--gateway", f.srv.URL, "--api-key", "k", "-o", "json", "participants", "suspend", "jiangsu.e1", "--reason", "audit"}

	f.on("POST /v1/participants/jiangsu.e1/suspend", suspended(true))
	f.on("POST /v1/participants/jiangsu.e1/revocation", revocation(200, map[string]any{"participantId": "jiangsu.e1",
		"enrollmentId": "91320000MA1FL1900X", "revoked": []string{"1f"}, "mspId": "JiangsuMSP"}))
	code, out, errOut := cli(t, nil, base...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "/v1/participants/jiangsu.e1/revocation", f.last().Path)
	assert.Contains(t, out, `"revoked": [`)
	assert.Contains(t, out, `"status": "SUSPENDED"`)
	assert.Contains(t, errOut, "the peers accept jiangsu.e1's revoked certificates until your org's admin publishes the CA's CRL in the channel",
		"without --channel-admin the command says what is left to do")
	assert.NotContains(t, out, `"channel"`)

	// Publishing needs all the admin's settings: an incomplete set is a usage error before anything is sent, from
	// the flags as from the environment.
	n := f.count()
	admin := t.TempDir()
	for _, c := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"--channel-admin", admin}, nil},
		{[]string{"--channel-admin", admin, "--peer", "127.0.0.1:1", "--orderer", "127.0.0.1:2"}, nil},
		{nil, map[string]string{"DELTALEDGER_CHANNEL_ADMIN": admin, "DELTALEDGER_PEER": "127.0.0.1:1", "DELTALEDGER_FABRIC_CACERT": "ca.pem"}},
	} {
		code, _, errOut := cli(t, c.env, append(base, c.args...)...)
		assert.Equal(t, 2, code, "%v %v: %s", c.args, c.env, errOut)
		assert.Contains(t, errOut, "--channel-admin needs")
		code, _, errOut = cli(t, c.env, append([]string{"--gateway", f.srv.URL, "--api-key", "k", "members", "revoke", "jiangsu.e1"}, c.args...)...)
		assert.Equal(t, 2, code, "%v %v: %s", c.args, c.env, errOut)
	}
	assert.Equal(t, n, f.count(), "nothing reached the gateway")

	n = f.count()
	code, _, errOut = cli(t, nil, append(base, "--keep-certificates")...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, n+1, f.count(), "--keep-certificates: the suspension only")

	f.on("POST /v1/participants/jiangsu.e1/revocation", revocation(409, map[string]any{"code": "CONFLICT", "message": "not onboarded through this gateway"}))
	code, out, errOut = cli(t, nil, base...)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "no certificate revoked: not onboarded through this gateway")
	assert.NotContains(t, out, "revocation")

	f.on("POST /v1/participants/jiangsu.e1/revocation", revocation(502, map[string]any{"code": "UNAVAILABLE", "message": "the CA did not revoke"}))
	code, _, errOut = cli(t, nil, base...)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "is suspended on the ledger (block 12), but its certificates were not revoked")
	assert.Contains(t, errOut, "deltaledger members revoke jiangsu.e1")

	f.on("POST /v1/participants/jiangsu.e1/suspend", suspended(false))
	n = f.count()
	code, _, errOut = cli(t, nil, base...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, n+1, f.count(), "staff (no certified enterprise): the suspension only")
}

// A rights table shows when each standing offer lapses unless accepted:
// the offer's offerExpiresAt, or, for an offer made before offers recorded
// it, the lapse the model computes from its issuedAt; nothing for a right
// that is no offer.
func TestRightsTableShowsWhenAnOfferLapses(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/participants/jiangsu.user/rights", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 200, map[string]any{"items": []model.Right{
			{ID: "R-offered", AssetID: "a1", Type: "USE", HolderID: "jiangsu.user", Origin: "GRANT", Status: model.RightOffered,
				Scope: model.Scope{Purpose: "p", ValidUntil: "2027-03-01T00:00:00Z"}, IssuedAt: "2026-03-01T00:00:00Z", OfferExpiresAt: "2026-03-08T00:00:00Z"},
			{ID: "R-old-offer", AssetID: "a1", Type: "USE", HolderID: "jiangsu.user", Origin: "GRANT", Status: model.RightOffered,
				Scope: model.Scope{Purpose: "p", ValidUntil: "2027-03-01T00:00:00Z"}, IssuedAt: "2026-03-02T00:00:00Z"},
			{ID: "R-active", AssetID: "a1", Type: "USE", HolderID: "jiangsu.user", Origin: "GRANT", Status: model.RightActive,
				Scope: model.Scope{Purpose: "p", ValidUntil: "2027-03-01T00:00:00Z"}, IssuedAt: "2026-03-01T00:00:00Z", OfferExpiresAt: "2026-03-08T00:00:00Z"},
		}})
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "rights", "by-holder", "jiangsu.user", "-o", "table")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	assert.Regexp(t, `\sSTATUS\s+OFFER_EXPIRES$`, lines[0])
	assert.Regexp(t, `^R-offered\s.*\sOFFERED\s+2026-03-08T00:00:00Z$`, lines[1])
	assert.Regexp(t, `^R-old-offer\s.*\sOFFERED\s+`+model.FormatTime(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).Add(model.OfferWindow))+`$`, lines[2])
	assert.Regexp(t, `^R-active\s.*\sACTIVE\s+-$`, lines[3])
}
