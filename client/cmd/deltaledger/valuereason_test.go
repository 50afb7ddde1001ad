package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The changes that take an argument, one more value and a reason (an objection, a transfer of a holding, a
// dispute's decision) send all three where the gateway expects them, and refuse a command line missing the value
// or the reason without sending anything.
func TestValueAndReasonCommandsSendTheirValueAndReason(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/assets/asset-1/objections", submitted(map[string]any{"objectionId": "obj-1", "status": "OPEN"}))
	f.on("POST /v1/assets/asset-1/holding/transfer", submitted(map[string]any{"assetId": "asset-1", "newHolderId": "anhui.buyer"}))
	f.on("POST /v1/trades/trade-1/resolve", submitted(map[string]any{"id": "trade-1", "status": "COMPLETED"}))
	base := []string{"--gateway", f.srv.URL, "--api-key", "k"}
	for _, c := range []struct {
		args        []string
		value, path string
		body        string
	}{
		{[]string{"assets", "object", "asset-1"}, "--id", "/v1/assets/asset-1/objections",
			`{"objectionId":"V","reason":"not their data"}`},
		{[]string{"rights", "transfer-holding", "asset-1"}, "--to", "/v1/assets/asset-1/holding/transfer",
			`{"newHolderId":"V","reason":"not their data"}`},
		{[]string{"trades", "resolve", "trade-1"}, "--outcome", "/v1/trades/trade-1/resolve",
			`{"outcome":"V","reason":"not their data"}`},
	} {
		sent := f.count()
		for _, incomplete := range []struct {
			missing string
			given   []string
		}{
			{c.value, []string{"--reason", "not their data"}},
			{"--reason", []string{c.value, "V"}},
		} {
			code, _, errOut := cli(t, nil, append(append(base, c.args...), incomplete.given...)...)
			assert.Equal(t, exitUsage, code, "%v without %s: %s", c.args, incomplete.missing, errOut)
			assert.Contains(t, errOut, strings.TrimPrefix(incomplete.missing, "--"), "%v: the usage error names the missing flag", c.args)
		}
		assert.Equal(t, sent, f.count(), "%v: nothing sent without the value or the reason", c.args)

		code, _, errOut := cli(t, nil, append(append(base, c.args...), c.value, "V", "--reason", "not their data")...)
		require.Equal(t, 0, code, "%v: %s", c.args, errOut)
		r := f.last()
		assert.Equal(t, c.path, r.Path, "%v", c.args)
		assert.JSONEq(t, c.body, string(r.Body), "%v", c.args)
	}
}
