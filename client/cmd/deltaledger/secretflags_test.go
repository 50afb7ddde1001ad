package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A secret given as a flag (--api-key, --pkcs11-pin, --secret) shows in the process list to every user of the
// machine: the command still runs, with one line on the standard error that says so and names the environment
// variable to give it in instead, never the secret; in the variable, nothing is said.
func TestASecretGivenAsAFlagIsWarnedOfOnce(t *testing.T) {
	f := newFake(t, false)
	f.on("GET /v1/participants/me", me)
	for flag, env := range map[string]string{"api-key": "DELTALEDGER_API_KEY", "pkcs11-pin": "DELTALEDGER_PKCS11_PIN"} {
		_, _, errOut := cli(t, nil, "--gateway", f.srv.URL, "--"+flag, "s3cret-value", "whoami")
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		assert.Contains(t, lines[0], "Warning: --"+flag+" puts a secret on the command line", flag)
		assert.Contains(t, lines[0], env, flag)
		assert.Equal(t, 1, strings.Count(errOut, "--"+flag+" puts a secret"), "one line: %s", errOut)
		assert.NotContains(t, errOut, "s3cret-value", flag)
		_, _, errOut = cli(t, map[string]string{env: "s3cret-value"}, "--gateway", f.srv.URL, "whoami")
		assert.NotContains(t, errOut, "puts a secret", "%s in the environment", env)
	}
	_, _, errOut := cli(t, map[string]string{"LANG": "zh_CN.UTF-8"}, "--gateway", f.srv.URL, "--api-key", "s3cret-value", "whoami")
	assert.Contains(t, errOut, "警告： --api-key 把机密放在命令行上")

	_, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "enroll", "--id", "91320500MA1FL1700R", "--secret", "s3cret-value",
		"--msp-dir", t.TempDir())
	assert.Contains(t, errOut, "Warning: --secret puts a secret on the command line")
	assert.Contains(t, errOut, "DELTALEDGER_ENROLLMENT_SECRET")
	assert.NotContains(t, errOut, "s3cret-value")
}
