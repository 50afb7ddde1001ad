package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// stubCurl stands in for curl(1): it appends its arguments, one line each, to $CURL_ARGV, appends the headers it
// would send (each -H, a file's lines for -H @FILE) to $CURL_HEADERS, and answers like the gateway's endpoints
// close-period.sh calls.
const stubCurl = `#!/usr/bin/env bash
printf '%s\n' "$@" >>"$CURL_ARGV"
while [ $# -gt 0 ]; do
  if [ "$1" = -H ]; then
    case $2 in @*) cat "${2#@}" >>"$CURL_HEADERS" ;; *) printf '%s\n' "$2" >>"$CURL_HEADERS" ;; esac
    shift
  fi
  shift
done
echo '{"indexedBlock":7,"digest":"ab12"}'
`

// The regulators' API keys close-period.sh sends reach the gateways as the Authorization header, and never stand on
// curl's command line, which every local user reads in ps(1) (/proc/<pid>/cmdline) while the request runs.
func TestClosePeriodKeepsTheAPIKeysOffTheCommandLine(t *testing.T) {
	c := newCheckout(t)
	keys := filepath.Join(c.root, "network", ".state", "gateways", "demo-keys.env")
	require.NoError(t, os.MkdirAll(filepath.Dir(keys), 0o700))
	var env strings.Builder
	for _, org := range []string{"SHANGHAI", "JIANGSU", "ZHEJIANG", "ANHUI"} {
		env.WriteString(org + "_GW=https://127.0.0.1:1\n" + org + "_CA=/dev/null\n" +
			org + "_REGULATOR_KEY=secret-of-" + strings.ToLower(org) + "\n")
	}
	require.NoError(t, os.WriteFile(keys, []byte(env.String()), 0o600))
	stubs := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(stubs, "curl"), []byte(stubCurl), 0o755))
	argv, headers := filepath.Join(stubs, "argv"), filepath.Join(stubs, "headers")

	cmd := exec.Command("scripts/close-period.sh", "day:2026-12-01")
	cmd.Dir = c.root
	cmd.Env = append(os.Environ(), "PATH="+stubs+":"+os.Getenv("PATH"), "CURL_ARGV="+argv, "CURL_HEADERS="+headers)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)

	sent := string(must(os.ReadFile(headers)))
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang", "anhui"} {
		require.Contains(t, sent, "Authorization: Bearer secret-of-"+org, "the regulator of %s authenticates", org)
	}
	require.NotContains(t, string(must(os.ReadFile(argv))), "secret-of-", "no API key on curl's command line")
}
