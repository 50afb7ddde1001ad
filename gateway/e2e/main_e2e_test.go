//go:build e2e

// Package e2e runs the gateway against the real four-region Fabric network:
// the market flow, the credit trace rule, idempotent retries, authentication
// and the event stream across a gateway restart, all through HTTP. It needs
// the e2e build tag, like the network's own end-to-end tests:
//
//	DELTALEDGER_REUSE_NETWORK=1 go test -tags e2e ./gateway/e2e/   # against a running network
//	make test-e2e                                                   # when the Makefile lists ./gateway/...
package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/service"
	"github.com/deltaledger/deltaledger/gateway/internal/service/servicetest"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/internal/pgtest"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

var (
	testNet *fabricnet.Network
	run     = demo.RunID("gw") // in every record ID of this run
)

func TestMain(m *testing.M) {
	code := demo.RunSuite(m, &testNet, io.Discard)
	pgtest.Stop() // the PostgreSQL of the index tests, if one was started
	os.Exit(code)
}

// id makes a record ID unique to this run.
func id(prefix string) string { return prefix + "-" + run }

// tlsCA is the CA of the gateways' own listener certificates.
var (
	tlsCAOnce sync.Once
	tlsCA     *wallettest.CA
)

// gateway is one org's gateway, run in the test process.
type gateway struct {
	t      *testing.T
	org    fabricnet.Org
	dir    string
	url    string
	keys   map[string]string // role -> API key
	stop   func() error
	client *http.Client
	cfg    config.Config
}

// roles are the members the gateways hold, by role (the wallet member names).
var roles = []string{"Admin", "operator", "holder", "buyer", "agency", "regulator"}

// startGateway runs org's gateway with its state (wallet, API keys,
// idempotency file) in dir; starting it again with the same dir is a restart.
// options change its configuration.
func startGateway(t *testing.T, orgKey, dir string, options ...func(*config.Config)) *gateway {
	t.Helper()
	cfgNet := testNet.Config()
	org, err := cfgNet.Org(orgKey)
	require.NoError(t, err)
	tlsCAOnce.Do(func() { tlsCA = wallettest.NewCA(t, "gateway-listeners") })
	g := &gateway{t: t, org: org, dir: dir, keys: map[string]string{}}

	walletDir := filepath.Join(dir, "wallet")
	keysFile := filepath.Join(dir, "apikeys.json")
	if _, err := os.Stat(walletDir); os.IsNotExist(err) {
		require.NoError(t, os.MkdirAll(walletDir, 0o700))
		for _, r := range roles {
			user := filepath.Dir(cfgNet.UserMSPDir(org, r))
			require.NoError(t, os.Symlink(user, filepath.Join(walletDir, r)))
		}
		server := tlsCA.Issue(t, "gateway-"+org.Key, "server", "127.0.0.1")
		require.NoError(t, os.WriteFile(filepath.Join(dir, "tls.crt"), server.CertPEM(), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "tls.key"), server.KeyPEM(), 0o600))
	}
	store, err := auth.OpenKeyStore(keysFile)
	require.NoError(t, err)
	keyFile := filepath.Join(dir, "keys.json")
	if b, err := os.ReadFile(keyFile); err == nil {
		require.NoError(t, json.Unmarshal(b, &g.keys))
	} else {
		for _, r := range roles {
			g.keys[r], _, err = store.Create(r, "e2e", auth.DefaultKeyLifetime)
			require.NoError(t, err)
		}
		b, _ := json.Marshal(g.keys)
		require.NoError(t, os.WriteFile(keyFile, b, 0o600))
	}

	c := config.Default()
	c.MSPID = org.MSPID
	c.Channel, c.Chaincode = cfgNet.Channel, cfgNet.Chaincode
	c.Wallet, c.APIKeys = walletDir, keysFile
	c.Peer.Address, c.Peer.TLSCACert, c.Peer.Reader = org.PeerEndpoint, cfgNet.TLSRootCertFile(org), "Admin"
	c.TLS.Cert, c.TLS.Key = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	for _, o := range cfgNet.Orgs {
		c.TLS.ClientCAs = append(c.TLS.ClientCAs, o.MSPID+"="+cfgNet.TLSRootCertFile(o))
	}
	c.Idem.File = filepath.Join(dir, "idempotency.jsonl")
	c.Limits.ReadRatePerSecond, c.Limits.WriteRatePerSecond = 0, 0
	c.Log.Level = "warn"
	for _, o := range options {
		o(&c)
	}
	g.cfg = c
	svc, err := service.New(c, service.WithLogger(service.NewLogger(os.Stderr, "warn")))
	require.NoError(t, err)
	g.url, g.stop = servicetest.Start(t, svc)
	g.client = g.httpClient(nil)
	return g
}

func (g *gateway) httpClient(cert *tls.Certificate) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(tlsCA.Certificate)
	cfg := &tls.Config{RootCAs: pool}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 2 * time.Minute}
}

// userTLS returns the TLS client certificate the org's TLS CA issued to a
// user of the org.
func userTLS(t *testing.T, orgKey, role string) tls.Certificate {
	t.Helper()
	o, err := testNet.Config().Org(orgKey)
	require.NoError(t, err)
	dir := filepath.Join(filepath.Dir(testNet.Config().UserMSPDir(o, role)), "tls")
	cert, err := tls.LoadX509KeyPair(filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key"))
	require.NoError(t, err)
	return cert
}

// answer is a decoded HTTP answer.
type answer struct {
	Status int
	Header http.Header
	Body   []byte
}

func (a answer) decode(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(a.Body, v), "body: %s", a.Body)
}

func (a answer) object(t *testing.T) map[string]any {
	var m map[string]any
	a.decode(t, &m)
	return m
}

// call sends a request as role (by API key; "" for none).
func (g *gateway) call(role, method, path string, body any, headers ...string) answer {
	g.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(g.t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, g.url+path, rd)
	require.NoError(g.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+g.keys[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := g.client.Do(req)
	require.NoError(g.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// indexCatchUp bounds how long must asks a read of the ledger index again
// while the index is behind the block it names.
const indexCatchUp = 5 * time.Minute

// must sends a request and requires the status. A GET that names a block
// (minBlock) is sent again while the gateway answers that its ledger index
// has not read that block yet (503 with Retry-After), as a client should: a
// gateway a test starts reads the channel from block 0, which on a network
// that benchmark runs have filled takes minutes.
func (g *gateway) must(status int, role, method, path string, body any, headers ...string) map[string]any {
	g.t.Helper()
	a := g.call(role, method, path, body, headers...)
	for deadline := time.Now().Add(indexCatchUp); status != http.StatusServiceUnavailable && a.Status == http.StatusServiceUnavailable &&
		method == http.MethodGet && strings.Contains(path, "minBlock=") && a.Header.Get("Retry-After") != "" && time.Now().Before(deadline); {
		a = g.call(role, method, path, body, headers...)
	}
	require.Equal(g.t, status, a.Status, "%s %s as %s@%s: %s", method, path, role, g.org.Key, a.Body)
	obj := a.object(g.t)
	// A committed submit is on this gateway's peer; wait for the other orgs'
	// peers too, so that the next request, through any gateway, sees it.
	if block, ok := obj["block_number"].(float64); ok {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		require.NoError(g.t, testNet.WaitForBlock(ctx, uint64(block)))
	}
	return obj
}

// result is the chaincode result of a submit answer.
func result(m map[string]any) map[string]any {
	r, _ := m["result"].(map[string]any)
	return r
}
