//go:build e2e

package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// internals matches what must never reach a caller: a peer's or orderer's
// address, an org's MSP ID, gRPC and Fabric wording, Go type names
// (issue 9: a 404 carried "ZhejiangMSP 127.0.0.1:27351: chaincode response
// 500, NOT_FOUND: ..." and a type error "Go struct field
// offeredTerms.priceFen").
var internals = regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){3}:\d+|localhost:\d+|[A-Za-z]+MSP\b|rpc error|code = |chaincode response|` +
	`see attached details|Go (struct|value)|of type |json: |\bint64\b|model\.`)

// Refusals through the real network, read and submit, by one peer and by
// several, answer one clean message each: the chaincode's rule once, in the
// API's own field names, and nothing of Fabric's plumbing.
func TestErrorsAreOneCleanMessage(t *testing.T) {
	sh := startGateway(t, "shanghai", t.TempDir())
	js := startGateway(t, "jiangsu", t.TempDir())
	missing := id("missing")
	validUntil := time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)
	cases := []struct {
		name         string
		g            *gateway
		role, method string
		path         string
		body         any
		status       int
		field        string
	}{
		{"read of a missing asset", js, "buyer", "GET", "/v1/assets/" + missing, nil, 404, ""},
		{"read of a missing trade", js, "buyer", "GET", "/v1/trades/" + missing, nil, 404, ""},
		{"read of a missing right", sh, "holder", "GET", "/v1/rights/" + missing, nil, 404, ""},
		{"read of a missing credit record", sh, "agency", "GET", "/v1/credit/records/" + missing, nil, 404, ""},
		{"submit on a missing trade", sh, "holder", "POST", "/v1/trades/" + missing + "/accept", nil, 404, ""},
		{"submit on a missing listing", js, "buyer", "POST", "/v1/trades", map[string]any{"tradeId": id("t-missing"), "listingId": missing}, 404, ""},
		{"scope regions of the wrong JSON type", sh, "holder", "POST", "/v1/listings", map[string]any{
			"id": id("listing-bad-type"), "assetId": missing, "rightType": "USE",
			"scope":   map[string]any{"purpose": "p", "regions": "shanghai", "validUntil": validUntil},
			"pricing": "FIXED", "priceFen": 1, "termsHash": hash("bad type " + run),
		}, 400, "scope.regions"},
		{"scope flag of the wrong JSON type", sh, "holder", "POST", "/v1/listings", map[string]any{
			"id": id("listing-bad-flag"), "assetId": missing, "rightType": "USE",
			"scope":   map[string]any{"purpose": "p", "regions": []string{"shanghai"}, "validUntil": validUntil, "maySublicense": "yes"},
			"pricing": "FIXED", "priceFen": 1, "termsHash": hash("bad flag " + run),
		}, 400, "scope.maySublicense"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.g.call(tc.role, tc.method, tc.path, tc.body)
			require.Equal(t, tc.status, a.Status, "%s", a.Body)
			body := a.object(t)
			msg, _ := body["message"].(string)
			require.NotEmpty(t, msg)
			assert.NotRegexp(t, internals, msg)
			assert.Equal(t, tc.field, stringOr(body["field"]))
			// The rule is said once, not once per endorsing peer.
			head := msg[:min(len(msg), 24)]
			assert.Equal(t, 1, strings.Count(msg, head), "repeated: %s", msg)
			assert.NotEmpty(t, a.Header.Get("X-Request-ID"))
		})
	}
}

func stringOr(v any) string {
	s, _ := v.(string)
	return s
}
