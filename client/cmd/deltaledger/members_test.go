package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMembersRegisterSendsTheEnterpriseAndPrintsTheInvitation(t *testing.T) {
	f := newFake(t, false)
	f.on("POST /v1/members", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 201, map[string]string{"enrollmentId": "91310000MA1FL1800B", "secret": "one-time", "mspId": "JiangsuMSP"})
	})
	code, out, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "members", "register",
		"--legal-name", "上海数据有限公司", "--uscc", "91310000MA1FL1800B", "--roles", "holder,buyer", "--division", "310115", "-o", "table")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `(?m)^secret\s+one-time$`, out)
	var sent map[string]any
	require.NoError(t, json.Unmarshal(f.last().Body, &sent))
	assert.Equal(t, map[string]any{"legalName": "上海数据有限公司", "uscc": "91310000MA1FL1800B", "roles": []any{"holder", "buyer"}, "division": "310115"}, sent)
	assert.Equal(t, "Bearer k", f.last().Header.Get("Authorization"))
}

func TestEnrollAndReenrollRefuseBadCommandLines(t *testing.T) {
	f := newFake(t, false)
	full := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(full, "something"), nil, 0o600))
	for _, args := range [][]string{
		{"--gateway", f.srv.URL, "enroll", "--id", "x", "--secret", "s"},
		{"--gateway", f.srv.URL, "enroll", "--id", "x", "--msp-dir", "d"},
		{"--gateway", f.srv.URL, "enroll", "--id", "x", "--secret", "s", "--msp-dir", full},
		{"--gateway", f.srv.URL, "members", "register", "--uscc", "91310000MA1FL1800B", "--roles", "holder"},
		{"reenroll", "--msp-dir", "d"},
	} {
		code, _, errOut := cli(t, nil, args...)
		assert.Equal(t, 2, code, "%v: %s", args, errOut)
	}
	assert.Zero(t, f.count(), "nothing reached the gateway")
	entries, _ := os.ReadDir(full)
	assert.Len(t, entries, 1, "the non-empty folder was left alone")
}
