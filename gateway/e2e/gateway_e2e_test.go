//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/events/eventstest"
	"github.com/deltaledger/deltaledger/network/demo"
)

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// registerAsset takes an asset of the holder through application, review
// and certification, waiting out the market's public-notice period (two
// seconds, set at deployment).
func registerAsset(t *testing.T, g *gateway, assetID string) {
	t.Helper()
	registerAssetIn(t, g, assetID, "logistics")
}

// registerAssetIn registers an asset of a category.
func registerAssetIn(t *testing.T, g *gateway, assetID, category string) {
	t.Helper()
	applyForAsset(t, g, assetID, category)
	certifyAsset(t, g, assetID)
}

// applyForAsset files the application of an asset of a category, which the
// exchange approves: it can be certified once the public notice ends.
func applyForAsset(t *testing.T, g *gateway, assetID, category string) {
	t.Helper()
	rules := g.must(200, "holder", "GET", "/v1/market-rules", nil)
	require.LessOrEqual(t, rules["noticePeriodSeconds"], float64(10), "the market's public-notice period is too long for this test")
	applied := g.must(201, "holder", "POST", "/v1/assets", map[string]any{
		"id": assetID, "name": "Port logistics " + run, "category": category, "sourceRegion": g.org.Key,
		"description": "Container movements, e2e " + run, "contentHash": hash(assetID),
	})
	assert.Equal(t, "PENDING_REVIEW", result(applied)["status"])
	g.must(200, "operator", "POST", "/v1/assets/"+assetID+"/review", map[string]any{"decision": "APPROVE"})
}

// certifyAsset registers an approved asset as soon as its public notice
// ends.
func certifyAsset(t *testing.T, g *gateway, assetID string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		a := g.call("holder", "POST", "/v1/assets/"+assetID+"/certify", nil)
		if a.Status == 200 {
			assert.Equal(t, "REGISTERED", result(a.object(t))["status"])
			return
		}
		require.Equal(t, 409, a.Status, "certify: %s", a.Body)
		require.True(t, time.Now().Before(deadline), "the notice period did not end: %s", a.Body)
		time.Sleep(time.Second)
	}
}

// The market flow through the gateways of two regions: a Shanghai holder
// registers and lists an asset, a Jiangsu buyer orders it, and the trade
// runs to completion, each transition its own HTTP action.
func TestMarketFlowThroughHTTP(t *testing.T) {
	sh := startGateway(t, "shanghai", t.TempDir())
	js := startGateway(t, "jiangsu", t.TempDir())
	assetID, listingID, tradeID := id("asset"), id("listing"), id("trade")
	registerAsset(t, sh, assetID)

	listing := sh.must(201, "holder", "POST", "/v1/listings", map[string]any{
		"id": listingID, "assetId": assetID, "rightType": "USE",
		"scope": map[string]any{
			"purpose": "route analytics", "regions": []string{"shanghai", "jiangsu"},
			"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": false,
		},
		"pricing": "FIXED", "priceFen": 150000, "termsHash": hash("terms " + run),
	})
	assert.Equal(t, "ACTIVE", result(listing)["status"])
	assert.Len(t, listing["transaction_id"], 64)
	assert.NotZero(t, listing["block_number"])

	// Text that is not UTF-8 is refused with the field it is in, not stored
	// as replacement characters (issue 9).
	for spelling, bad := range map[string]string{"escaped lone surrogate": `\ud800`, "raw byte": "\xff"} {
		body, err := json.Marshal(map[string]any{
			"id": id("listing-bad"), "assetId": assetID, "rightType": "USE",
			"scope":   map[string]any{"purpose": "@bad@", "regions": []string{"shanghai"}, "validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)},
			"pricing": "FIXED", "priceFen": 1, "termsHash": hash("bad " + run),
		})
		require.NoError(t, err)
		a := sh.call("holder", "POST", "/v1/listings", json.RawMessage(strings.Replace(string(body), "@bad@", bad, 1)))
		require.Equal(t, 400, a.Status, "%s: %s", spelling, a.Body)
		assert.Equal(t, "scope.purpose", a.object(t)["field"], spelling)
	}
	sh.must(404, "holder", "GET", "/v1/listings/"+id("listing-bad"), nil)

	// The listing is public: the Jiangsu gateway reads it.
	got := js.must(200, "buyer", "GET", "/v1/listings/"+listingID, nil)
	assert.EqualValues(t, 150000, got["priceFen"], "an amount is a JSON integer")

	trade := js.must(201, "buyer", "POST", "/v1/trades", map[string]any{"tradeId": tradeID, "listingId": listingID})
	assert.Equal(t, "ORDERED", result(trade)["status"])
	sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/accept", nil)
	js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/payment", map[string]any{"settlementRef": "BANK-" + run, "amountFen": 150000})
	sh.must(200, "holder", "POST", "/v1/trades/"+tradeID+"/deliver", map[string]any{"deliveryHash": hash("delivery " + run)})
	done := js.must(200, "buyer", "POST", "/v1/trades/"+tradeID+"/confirm", nil)
	require.Equal(t, "COMPLETED", result(done)["status"])
	rightID, _ := result(done)["rightId"].(string)
	require.NotEmpty(t, rightID)

	right := js.must(200, "buyer", "GET", "/v1/rights/"+rightID, nil)
	assert.Equal(t, demo.ParticipantID("jiangsu", "buyer"), right["holderId"])
	assert.Equal(t, "USE", right["type"])

	page := js.must(200, "buyer", "GET", "/v1/participants/"+demo.ParticipantID("jiangsu", "buyer")+"/rights?limit=100", nil)
	var ids []string
	for _, it := range page["items"].([]any) {
		ids = append(ids, it.(map[string]any)["id"].(string))
	}
	assert.Contains(t, ids, rightID)

	// An invalid transition is the chaincode's 409, with its message.
	again := js.call("buyer", "POST", "/v1/trades/"+tradeID+"/confirm", nil)
	assert.Equal(t, 409, again.Status, "%s", again.Body)
	assert.Equal(t, "CONFLICT", again.object(t)["code"])
}

// Without credentials: 401; with a certificate of another org: 403; with the
// member's own TLS client certificate: that member.
func TestAuthenticationAgainstTheNetwork(t *testing.T) {
	sh := startGateway(t, "shanghai", t.TempDir())
	a := sh.call("", "GET", "/v1/participants/me", nil)
	assert.Equal(t, 401, a.Status)

	foreign := userTLS(t, "jiangsu", "holder")
	resp, err := sh.httpClient(&foreign).Get(sh.url + "/v1/participants/me")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 403, resp.StatusCode)

	own := userTLS(t, "shanghai", "holder")
	resp, err = sh.httpClient(&own).Get(sh.url + "/v1/participants/me")
	require.NoError(t, err)
	var me map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&me))
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, demo.ParticipantID("shanghai", "holder"), me["id"])

	// A chaincode refusal: a holder cannot register participants.
	a = sh.call("holder", "POST", "/v1/participants", map[string]any{
		"id": id("p"), "certificatePem": "x", "roles": []string{"buyer"}, "uscc": demo.USCC("shanghai", "buyer"),
		"name": "X", "region": "shanghai",
	})
	assert.Contains(t, []int{400, 403}, a.Status, "%s", a.Body)
}

// A retried submit with the same Idempotency-Key returns the first outcome,
// also after a gateway restart, and never submits twice.
func TestIdempotentRetry(t *testing.T) {
	dir := t.TempDir()
	sh := startGateway(t, "shanghai", dir)
	assetID := id("idem")
	body := map[string]any{
		"id": assetID, "name": "Idempotent " + run, "category": "logistics", "sourceRegion": "shanghai",
		"description": "retried", "contentHash": hash(assetID),
	}
	key := "Idempotency-Key"
	first := sh.must(201, "holder", "POST", "/v1/assets", body, key, "apply-"+run)
	second := sh.call("holder", "POST", "/v1/assets", body, key, "apply-"+run)
	require.Equal(t, 201, second.Status, "%s", second.Body)
	assert.Equal(t, "true", second.Header.Get("Idempotent-Replayed"))
	assert.Equal(t, first["transaction_id"], second.object(t)["transaction_id"])

	require.NoError(t, sh.stop())
	sh = startGateway(t, "shanghai", dir)
	third := sh.call("holder", "POST", "/v1/assets", body, key, "apply-"+run)
	require.Equal(t, 201, third.Status, "after a restart: %s", third.Body)
	assert.Equal(t, first["transaction_id"], third.object(t)["transaction_id"])

	// Without the key, the same request is a second transaction: refused.
	dup := sh.call("holder", "POST", "/v1/assets", body)
	assert.Equal(t, 409, dup.Status, "%s", dup.Body)

	// The transaction's status.
	st := sh.must(200, "holder", "GET", "/v1/transactions/"+first["transaction_id"].(string), nil)
	assert.Equal(t, true, st["committed"])
	assert.Equal(t, "VALID", st["code"])

	// An ID that no one ever sent is unknown, not pending (issue 15).
	unknown := sh.call("holder", "GET", "/v1/transactions/"+strings.Repeat("0", 64), nil)
	require.Equal(t, 404, unknown.Status, "%s", unknown.Body)
	assert.Equal(t, "NOT_FOUND", unknown.object(t)["code"])
}

// openEvents opens g's event stream as the member of role, with the
// client's timeout off: it bounds a whole request, and a stream is read for
// as long as the test needs it.
func openEvents(t *testing.T, g *gateway, role, query, lastID string) *eventstest.Stream {
	t.Helper()
	client := g.httpClient(nil)
	client.Timeout = 0
	return eventstest.Open(t, client, g.url, g.keys[role], query, lastID)
}

// untilTx reads events until the one of transaction tx.
func untilTx(t *testing.T, r *eventstest.Stream, tx string) []eventstest.Event {
	t.Helper()
	var seen []eventstest.Event
	timeout := time.After(time.Minute)
	for {
		select {
		case e, ok := <-r.Events:
			require.True(t, ok, "stream ended before transaction %s", tx)
			seen = append(seen, e)
			if strings.HasSuffix(e["id"], "-"+tx) {
				return seen
			}
		case <-timeout:
			t.Fatalf("no event of transaction %s within a minute", tx)
		}
	}
}

// The event stream resumes after a gateway restart from Last-Event-ID with
// no gap and no duplicate.
func TestEventsResumeAcrossAGatewayRestart(t *testing.T) {
	dir := t.TempDir()
	sh := startGateway(t, "shanghai", dir)
	js := startGateway(t, "jiangsu", t.TempDir())
	apply := func(g *gateway, n int) map[string]any {
		aid := fmt.Sprintf("%s-%d", id("ev"), n)
		return g.must(201, "holder", "POST", "/v1/assets", map[string]any{
			"id": aid, "name": "Event " + aid, "category": "logistics", "sourceRegion": g.org.Key,
			"description": "events", "contentHash": hash(aid),
		})
	}
	first := apply(sh, 1)
	block := int(first["block_number"].(float64))
	stream := openEvents(t, sh, "regulator", fmt.Sprintf("?start_block=%d", block), "")
	seen := untilTx(t, stream, first["transaction_id"].(string))
	last := seen[len(seen)-1]
	assert.Equal(t, "AssetApplied", last["event"])
	stream.Close()
	require.NoError(t, sh.stop())

	// While the Shanghai gateway is down, two more transactions commit.
	second := apply(js, 2)
	third := apply(js, 3)

	sh = startGateway(t, "shanghai", dir)
	resumed := openEvents(t, sh, "regulator", "", last["id"])
	got := untilTx(t, resumed, third["transaction_id"].(string))
	var txs []string
	for _, e := range got {
		txs = append(txs, e["id"][strings.Index(e["id"], "-")+1:])
	}
	assert.NotContains(t, txs, first["transaction_id"], "no duplicate of the last event received")
	assert.Contains(t, txs, second["transaction_id"], "no gap")
	assert.Equal(t, third["transaction_id"], txs[len(txs)-1])
}

// A credit record is read only through a lookup that leaves a trace; a
// querier without the subject's authorisation gets 403 and no contents.
func TestCreditLookupLeavesATrace(t *testing.T) {
	sh := startGateway(t, "shanghai", t.TempDir())
	js := startGateway(t, "jiangsu", t.TempDir())
	zj := startGateway(t, "zhejiang", t.TempDir())
	subject := demo.USCC("jiangsu", "holder")
	recordID := id("credit")
	marker := "confidential-" + run

	staged := sh.must(201, "agency", "POST", "/v1/credit/records/staged", map[string]any{
		"recordId": recordID, "subjectUscc": subject,
		"record": map[string]string{
			"type": "RATING", "grade": "AA", "evidenceHash": strings.Repeat("ab", 32),
			"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "summary": "rating " + marker,
		},
	})
	assert.NotContains(t, fmt.Sprint(staged), marker, "the submit's answer never holds the contents")
	published := sh.must(201, "agency", "POST", "/v1/credit/records", map[string]any{"recordId": recordID, "subjectUscc": subject})
	assert.Equal(t, result(staged)["contentHash"], result(published)["contentHash"])

	purpose := "loan underwriting " + run
	path := "/v1/credit/subjects/" + subject + "/records?purpose=" + strings.ReplaceAll(purpose, " ", "%20")
	refused := zj.call("buyer", "GET", path, nil)
	require.Equal(t, 403, refused.Status, "%s", refused.Body)
	assert.NotContains(t, string(refused.Body), marker)

	authID := id("auth")
	js.must(201, "holder", "POST", "/v1/credit/authorizations", map[string]any{
		"authId": authID, "granteeId": demo.ParticipantID("zhejiang", "buyer"), "purpose": purpose,
		"validUntil": time.Now().AddDate(0, 1, 0).UTC().Format(time.RFC3339),
	})
	lookup := zj.must(200, "buyer", "GET", path+"&authorization="+authID, nil)
	trace := lookup["trace"].(map[string]any)
	traceID := trace["traceId"].(string)
	found := false
	for _, r := range lookup["records"].([]any) {
		rec := r.(map[string]any)
		if rec["record"].(map[string]any)["recordId"] != recordID {
			continue
		}
		found = true
		assert.Equal(t, true, rec["verified"])
		assert.Contains(t, fmt.Sprint(rec["contents"]), marker)
	}
	assert.True(t, found, "record %s in the lookup: %v", recordID, lookup)
	// The Zhejiang gateway learnt the holders from its own org's peer
	// (interface 10.0.0) and asked Shanghai's for the contents.
	assert.Contains(t, lookup["holders"], map[string]any{"mspId": "ShanghaiMSP", "ok": true})

	// The subject sees the trace.
	traces := js.must(200, "holder", "GET", "/v1/credit/traces?subjectUscc="+subject+"&limit=100", nil)
	var ids []string
	for _, it := range traces["items"].([]any) {
		ids = append(ids, it.(map[string]any)["traceId"].(string))
	}
	for traces["next_cursor"] != nil {
		traces = js.must(200, "holder", "GET", "/v1/credit/traces?subjectUscc="+subject+"&limit=100&cursor="+traces["next_cursor"].(string), nil)
		for _, it := range traces["items"].([]any) {
			ids = append(ids, it.(map[string]any)["traceId"].(string))
		}
	}
	assert.Contains(t, ids, traceID)
}

// A transaction's result goes only to the member who submitted it: the
// Jiangsu buyer orders with ?wait=false, and the Jiangsu holder, another
// member of the same org who knows the transaction ID, reads its commit
// status without the result (the trade, which only its parties and the
// exchanges may read); the buyer reads the result.
func TestTransactionResultOnlyToItsSubmitter(t *testing.T) {
	sh := startGateway(t, "shanghai", t.TempDir())
	js := startGateway(t, "jiangsu", t.TempDir())
	// On a Shanghai listing of this run's own, not a demo one: a buyer enterprise holds one ORDERED trade on a
	// listing at a time (interface 14.0.0), and an earlier run's order left open (its clean-up below failed)
	// would refuse this one.
	assetID, listingID, tradeID := id("status-asset"), id("status-listing"), id("trade-status")
	registerAsset(t, sh, assetID)
	sh.must(201, "holder", "POST", "/v1/listings", map[string]any{
		"id": listingID, "assetId": assetID, "rightType": "USE",
		"scope": map[string]any{"purpose": "transaction status e2e", "regions": []string{"shanghai", "jiangsu"},
			"validUntil": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339), "maySublicense": false},
		"pricing": "FIXED", "priceFen": 4321, "termsHash": hash("terms " + listingID),
	})
	accepted := js.must(202, "buyer", "POST", "/v1/trades?wait=false", map[string]any{
		"tradeId": tradeID, "listingId": listingID})
	statusURL, _ := accepted["status_url"].(string)
	require.NotEmpty(t, statusURL)
	defer js.call("buyer", "POST", "/v1/trades/"+tradeID+"/cancel", map[string]any{"reason": "e2e clean-up"})

	deadline := time.Now().Add(60 * time.Second)
	for {
		own := js.must(200, "buyer", "GET", statusURL, nil)
		if own["committed"] == true {
			require.Equal(t, true, own["valid"], "%v", own)
			require.Equal(t, tradeID, result(own)["id"], "the submitter reads the result")
			break
		}
		require.True(t, time.Now().Before(deadline), "the order did not commit")
		time.Sleep(500 * time.Millisecond)
	}
	other := js.call("holder", "GET", statusURL, nil)
	require.Equal(t, 200, other.Status, "%s", other.Body)
	m := other.object(t)
	assert.Equal(t, true, m["committed"])
	assert.NotContains(t, m, "result", "another member of the org gets no result")
	assert.NotContains(t, string(other.Body), tradeID)
	// Through the API the holder may not read the trade either: it is
	// answered as if the trade did not exist, as an unknown ID is.
	notMine := js.call("holder", "GET", "/v1/trades/"+tradeID, nil)
	unknown := js.call("holder", "GET", "/v1/trades/"+tradeID+"-unknown", nil)
	assert.Equal(t, 404, notMine.Status, "%s", notMine.Body)
	assert.Equal(t, unknown.Status, notMine.Status)
	// The same answer but for the ID, and for the transaction ID each evaluation's proposal has of its own.
	same := func(a answer, id string) map[string]any {
		m := a.object(t)
		delete(m, "transaction_id")
		m["message"] = strings.ReplaceAll(fmt.Sprint(m["message"]), id, "<id>")
		return m
	}
	assert.Equal(t, same(unknown, tradeID+"-unknown"), same(notMine, tradeID))
}
