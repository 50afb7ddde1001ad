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
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/envfile"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

var (
	testNet *fabricnet.Network
	// run makes every record ID of this run unique, so the suite can run
	// again against a network it ran on before.
	run = fmt.Sprintf("sdk%d", time.Now().Unix())
)

func TestMain(m *testing.M) {
	os.Exit(fabricnet.RunTests(m, func(ctx context.Context, net *fabricnet.Network) error {
		testNet = net
		return demo.RegisterParticipants(ctx, net, io.Discard)
	}))
}

// id makes a record ID unique to this run.
func id(prefix string) string { return prefix + "-" + run }

var (
	keysOnce sync.Once
	keysVars map[string]string
	keysErr  error
)

// keysFile is the demo keys file of the running gateways.
func keysFile() string {
	return filepath.Join(testNet.Config().StateDir(), "gateways", "demo-keys.env")
}

// demoKeys returns the gateways' demo keys file, starting the gateways
// first when they do not all answer (a network started before up.sh ran
// gateways, reused with DELTALEDGER_REUSE_NETWORK=1, has none).
func demoKeys(t *testing.T) map[string]string {
	t.Helper()
	keysOnce.Do(func() {
		cfg := testNet.Config()
		if err := gatewaysReady(cfg); err != nil {
			t.Logf("starting the gateways: %v", err)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			if keysErr = fabricnet.Up(ctx, cfg, os.Stderr); keysErr != nil {
				return
			}
			if keysErr = gatewaysReady(cfg); keysErr != nil {
				return
			}
		}
		keysVars, keysErr = envfile.Read(keysFile())
	})
	require.NoError(t, keysErr)
	return keysVars
}

// gatewaysReady asks every org's gateway for /readyz.
func gatewaysReady(cfg *fabricnet.Config) error {
	for _, o := range cfg.Orgs {
		port := cfg.Values[strings.ToUpper(o.Key)+"_GATEWAY_PORT"]
		if port == "" {
			return fmt.Errorf("network.env has no %s_GATEWAY_PORT", strings.ToUpper(o.Key))
		}
		pem, err := os.ReadFile(cfg.TLSRootCertFile(o))
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := hc.Get("https://" + cfg.Values["HOST"] + ":" + port + "/readyz")
		if err != nil {
			return fmt.Errorf("gateway of %s: %w", o.Key, err)
		}
		resp.Body.Close()
		hc.CloseIdleConnections()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("gateway of %s: /readyz answered %s", o.Key, resp.Status)
		}
	}
	if _, err := os.Stat(keysFile()); err != nil {
		return err
	}
	return nil
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
