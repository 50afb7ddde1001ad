package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What an admin approves is exactly the document of its file: a field that market rules do not have (a misspelt
// "regulator" for "regulators", say) is refused naming it, and nothing is sent, where it was dropped and the rules
// without it approved. The rules in force as 'rules show -o json' prints them are a document to start from: their
// hash, time and transaction are not rules and are not sent.
func TestRulesApproveSendsExactlyTheFilesDocument(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/market-rules/approvals", submitted(map[string]any{"mspId": "JiangsuMSP", "version": 2}))
	dir := t.TempDir()
	write := func(name, doc string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(doc), 0o600))
		return p
	}
	shown := write("shown.json", `{"version": 2, "noticePeriodSeconds": 259200, "orgs": [], "regulators": [],
		"hash": "ab", "updatedAt": "2026-12-01T00:00:00Z", "txId": "cd"}`)
	code, _, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "rules", "approve", "--file", shown)
	require.Equal(t, 0, code, errOut)
	var sent map[string]map[string]any
	require.NoError(t, json.Unmarshal(f.last().Body, &sent))
	assert.NotContains(t, sent["rules"], "hash")
	assert.Equal(t, float64(259200), sent["rules"]["noticePeriodSeconds"])

	before := f.count()
	misspelt := write("misspelt.json", `{"version": 2, "noticePeriodSeconds": 259200, "orgs": [],
		"regulator": [{"mspId": "JiangsuMSP", "participantId": "jiangsu.regulator"}]}`)
	code, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "rules", "approve", "--file", misspelt)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, `"regulator"`)
	assert.Equal(t, before, f.count(), "nothing is approved")

	code, _, _ = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "rules", "approve", "--file", write("two.json", `{"version": 2} {"version": 3}`))
	assert.NotEqual(t, 0, code, "one document")
	assert.Equal(t, before, f.count(), "nothing is approved")

	nested := write("nested.json", `{"version": 2, "noticePeriodSeconds": 259200, "regulators": [],
		"orgs": [{"mspId": "JiangsuMSP", "region": "jiangsu", "rootCert": ["x"]}]}`)
	code, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "rules", "apply", "--file", nested)
	assert.NotEqual(t, 0, code)
	assert.Contains(t, errOut, `"rootCert"`)
	assert.Equal(t, before, f.count(), "nothing is applied")
}
