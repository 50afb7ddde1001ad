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

// closePeriod runs close-period.sh with args in a checkout whose gateways curl stands in for, and returns the
// arguments curl got (a line each) and the headers it would have sent.
func closePeriod(t *testing.T, c *checkout, args ...string) (argv, headers string) {
	t.Helper()
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
	argvFile, headersFile := filepath.Join(stubs, "argv"), filepath.Join(stubs, "headers")

	cmd := exec.Command("scripts/close-period.sh", args...)
	cmd.Dir = c.root
	cmd.Env = append(os.Environ(), "PATH="+stubs+":"+os.Getenv("PATH"), "CURL_ARGV="+argvFile, "CURL_HEADERS="+headersFile)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	return string(must(os.ReadFile(argvFile))), string(must(os.ReadFile(headersFile)))
}

// The regulators' API keys close-period.sh sends reach the gateways as the Authorization header, and never stand on
// curl's command line, which every local user reads in ps(1) (/proc/<pid>/cmdline) while the request runs.
func TestClosePeriodKeepsTheAPIKeysOffTheCommandLine(t *testing.T) {
	argv, sent := closePeriod(t, newCheckout(t), "day:2026-12-01")
	for _, org := range []string{"shanghai", "jiangsu", "zhejiang", "anhui"} {
		require.Contains(t, sent, "Authorization: Bearer secret-of-"+org, "the regulator of %s authenticates", org)
	}
	require.NotContains(t, argv, "secret-of-", "no API key on curl's command line")
}

// Without a period, close-period.sh closes the newest hour that indices:Open opens now, as the gateway's command
// names it, not the hour just ended: in an hour's first minutes (model.PeriodClosesAt) that one does not open yet.
func TestClosePeriodDefaultsToTheNewestHourThatOpens(t *testing.T) {
	c := newCheckout(t)
	gateway := filepath.Join(c.root, "bin", "deltaledger-gateway")
	built, err := exec.Command("go", "build", "-o", gateway, "../gateway/cmd/deltaledger-gateway").CombinedOutput()
	require.NoError(t, err, "%s", built)
	openable := func() string {
		out, err := exec.Command(gateway, "indices", "openable", "hour").Output()
		require.NoError(t, err)
		return strings.TrimSpace(string(out))
	}

	before := openable()
	argv, _ := closePeriod(t, c)
	after := openable()
	require.True(t, strings.Contains(argv, "/v1/indices/"+before+"/publish") || strings.Contains(argv, "/v1/indices/"+after+"/publish"),
		"close-period.sh publishes %s (or %s, if an hour opened meanwhile); curl got:\n%s", before, after, argv)
}
