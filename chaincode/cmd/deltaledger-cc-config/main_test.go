package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The file the peer CLI reads: each pair's collection with its members'
// read and write policy and both orgs' peers as its endorsement policy.
func TestCollectionsFileIsThePeerCLIsFormat(t *testing.T) {
	out := filepath.Join(t.TempDir(), "chaincode", "collections_config.json")
	require.NoError(t, run([]string{"collections", "-out", out, "ShanghaiMSP", "JiangsuMSP"}, io.Discard))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, `[
  {
    "name": "terms-JiangsuMSP-ShanghaiMSP",
    "policy": "OR('JiangsuMSP.member','ShanghaiMSP.member')",
    "requiredPeerCount": 0,
    "maxPeerCount": 1,
    "blockToLive": 0,
    "memberOnlyRead": true,
    "memberOnlyWrite": true,
    "endorsementPolicy": {
      "signaturePolicy": "AND('JiangsuMSP.peer','ShanghaiMSP.peer')"
    }
  }
]
`, string(b))
}

// Four orgs give six pairs; writing the same configuration again leaves
// the file as it was, bytes and modification time.
func TestCollectionsFileIsRewrittenOnlyWhenItChanges(t *testing.T) {
	out := filepath.Join(t.TempDir(), "collections_config.json")
	orgs := []string{"ShanghaiMSP", "JiangsuMSP", "ZhejiangMSP", "AnhuiMSP"}
	require.NoError(t, run(append([]string{"collections", "-out", out}, orgs...), io.Discard))
	first, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, 6, strings.Count(string(first), `"name"`))
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(out, old, old))

	reordered := []string{"AnhuiMSP", "ZhejiangMSP", "JiangsuMSP", "ShanghaiMSP"}
	require.NoError(t, run(append([]string{"collections", "-out", out}, reordered...), io.Discard))
	again, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, first, again)
	info, err := os.Stat(out)
	require.NoError(t, err)
	assert.True(t, info.ModTime().Equal(old), "unchanged file rewritten")

	require.NoError(t, run([]string{"collections", "-out", out, "ShanghaiMSP", "JiangsuMSP"}, io.Discard))
	changed, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(changed), `"name"`))
}

func TestBadInvocationsSayWhatIsWrong(t *testing.T) {
	out := filepath.Join(t.TempDir(), "c.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "usage: deltaledger-cc-config collections"},
		{[]string{"package"}, `unknown subcommand "package"`},
		{[]string{"collections", "ShanghaiMSP"}, "-out is required"},
		{[]string{"collections", "-out", out}, "name the channel's orgs by MSP ID"},
		{[]string{"collections", "-out", out, "ShanghaiMSP", "ShanghaiMSP"}, `"ShanghaiMSP" is named twice`},
		{[]string{"collections", "-out", out, "Shanghai'MSP"}, "may hold only letters, digits"},
	} {
		err := run(tc.args, io.Discard)
		if assert.Error(t, err, "%q", tc.args) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "a refused invocation writes nothing")
}
