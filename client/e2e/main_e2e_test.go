//go:build e2e

// Package e2e runs the Go SDK (package client) and the deltaledger command
// against the REAL gateways that scripts/up.sh runs in front of the
// four-region Fabric network, as the demo members whose API keys `make up`
// writes to network/.state/gateways/demo-keys.env. It needs the e2e build
// tag, like the other end-to-end suites:
//
//	make test-e2e                                                        # brings the network up, runs, stops it
//	DELTALEDGER_REUSE_NETWORK=1 go test -count=1 -tags e2e ./client/...   # against a running network
package e2e

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/filetest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

var (
	testNet *fabricnet.Network
	run     = demo.RunID("sdk") // in every record ID of this run
)

func TestMain(m *testing.M) { os.Exit(demo.RunSuite(m, &testNet, io.Discard)) }

// id makes a record ID unique to this run.
func id(prefix string) string { return prefix + "-" + run }

var (
	keysOnce sync.Once
	keysVars map[string]string
	keysErr  error
)

// demoKeys returns the gateways' demo keys, starting the gateways first
// when they do not all answer.
func demoKeys(t *testing.T) map[string]string {
	t.Helper()
	keysOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		keysVars, keysErr = fabricnet.EnsureGateways(ctx, testNet.Config(), os.Stderr)
	})
	require.NoError(t, keysErr)
	return keysVars
}

// member returns an SDK client of org's gateway acting as the org's demo
// member with that role, authenticated by its demo API key.
func member(t *testing.T, org, role string) *client.Client {
	t.Helper()
	keys := demoKeys(t)
	o, r := strings.ToUpper(org), strings.ToUpper(role)
	require.NotEmpty(t, keys[o+"_"+r+"_KEY"], "demo-keys.env has no %s_%s_KEY", o, r)
	c, err := client.New(keys[o+"_GW"], client.WithAPIKey(keys[o+"_"+r+"_KEY"]), client.WithCAFile(keys[o+"_CA"]),
		client.WithUserAgent("deltaledger-sdk-e2e"))
	require.NoError(t, err)
	return c
}

// callCtx bounds one call.
func callCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// assertNotInGatewayState checks that no file of org's gateway state
// directory holds any of the secrets (a member's key, an enrolment secret).
func assertNotInGatewayState(t *testing.T, org string, secrets ...string) {
	t.Helper()
	dir := filepath.Join(testNet.Config().StateDir(), "gateways", org)
	filetest.EachFile(t, dir, func(path, text string) {
		for _, secret := range secrets {
			assert.NotContains(t, text, secret, path)
		}
	})
}

// afterNotice waits until the public-notice period of a reviewed
// application has ended (the demo market's is two seconds), so that it can
// be certified.
func afterNotice(t *testing.T, reviewed *model.Asset) {
	t.Helper()
	ends, err := client.ParseTimestamp(reviewed.NoticeEndsAt)
	require.NoError(t, err)
	wait := time.Until(ends) + 1500*time.Millisecond
	require.Less(t, wait, time.Minute, "the public-notice period is too long for this test (%s)", reviewed.NoticeEndsAt)
	time.Sleep(wait)
}

// committed requires a submit to have succeeded and waits until every
// org's peer has committed its block, so that the next call, through any
// region's gateway, sees it. It returns the result.
func committed[T any](t *testing.T, s *client.Submitted[T], err error) *T {
	t.Helper()
	require.NoError(t, err)
	require.True(t, s.Committed, "not committed: %+v", s)
	require.Len(t, s.TransactionID, 64)
	require.NotZero(t, s.BlockNumber)
	require.NotNil(t, s.Result)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	require.NoError(t, testNet.WaitForBlock(ctx, s.BlockNumber))
	return s.Result
}
