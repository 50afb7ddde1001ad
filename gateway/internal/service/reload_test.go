package service_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/model"
)

// insistent is a client that presents cert whatever CAs the server names (as curl --cert does), so that a CA the
// server does not trust fails the handshake instead of leaving the request without a certificate.
func (f *fixture) insistent(cert wallettest.Issued) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(f.ca.Certificate)
	tc := cert.TLS()
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs:              pool,
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &tc, nil },
	}}}
}

// statusOf GETs the caller's participant with client and returns the status, or the error of a refused handshake.
func statusOf(client *http.Client, url string) (int, error) {
	resp, err := client.Get(url + "/v1/participants/me")
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// handshakeStatus is statusOf of a handshake that must succeed: msgAndArgs say why when it does not.
func handshakeStatus(t *testing.T, client *http.Client, url string, msgAndArgs ...any) int {
	t.Helper()
	code, err := statusOf(client, url)
	require.NoError(t, err, msgAndArgs...)
	return code
}

// A region joins the running network: the gateway, sent SIGHUP (a signal on the channel ReloadOn watches), reads
// tls.clientCAs again and accepts the new region's client certificates from the next handshake on, without a
// restart: before, the handshake is refused; after, the member is recognised as another org's (403, as every other
// region's member is). A reload whose CA file is broken or missing keeps the CAs in force and logs why; one that
// drops a CA refuses its certificates again (nothing of the old pool lingers, not even a resumed session).
func TestClientCAsReloadWithoutRestart(t *testing.T) {
	f := newFixture(t)
	logFile, err := os.Create(filepath.Join(t.TempDir(), "gateway.log"))
	require.NoError(t, err)
	defer logFile.Close()
	f.log = logFile
	logged := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	url, stop := f.start(t)
	defer stop()
	dir := t.TempDir()

	suzhou := wallettest.NewCA(t, "SuzhouMSP")
	member := suzhou.Issue(t, "suzhou-buyer", "client")
	_, err = statusOf(f.insistent(member), url)
	require.Error(t, err, "a client certificate of a CA the gateway does not trust fails the handshake")
	assert.Contains(t, err.Error(), "certificate")

	caFile := filepath.Join(dir, "suzhou-ca.pem")
	writePEM(t, caFile, (wallettest.Issued{Certificate: suzhou.Certificate}).CertPEM(), 0o644)
	joined := f.cfg
	joined.TLS.ClientCAs = append(slices.Clone(f.cfg.TLS.ClientCAs), "SuzhouMSP="+caFile)
	hup := make(chan os.Signal, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	next := joined
	var mu sync.Mutex
	go f.svc.ReloadOn(ctx, hup, func() (config.Config, error) {
		mu.Lock()
		defer mu.Unlock()
		return next, nil
	})
	hup <- syscall.SIGHUP
	require.Eventually(t, func() bool {
		code, err := statusOf(f.insistent(member), url)
		return err == nil && code == http.StatusForbidden
	}, 5*time.Second, 20*time.Millisecond, "after the reload the new region's member is another org's: 403")
	assert.Contains(t, logged(), `"tls.clientCAs reloaded"`)
	assert.Contains(t, logged(), `"SuzhouMSP"`)
	assert.Equal(t, http.StatusOK, handshakeStatus(t, f.client(&f.alice), url), "the org's own members are recognised as before")

	// A broken CA file, then a missing one: the pool in force stays (Suzhou still trusted), and the log says why.
	broken := filepath.Join(dir, "broken-ca.pem")
	writePEM(t, broken, []byte("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n"), 0o644)
	for _, bad := range []string{"AnhuiMSP=" + broken, "AnhuiMSP=" + filepath.Join(dir, "missing.pem")} {
		wrong := joined
		wrong.TLS.ClientCAs = append(slices.Clone(joined.TLS.ClientCAs), bad)
		err := f.svc.ReloadClientCAs(wrong)
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "tls.clientCAs AnhuiMSP", "the error names the entry")
		assert.Equal(t, http.StatusForbidden, handshakeStatus(t, f.insistent(member), url, "the CAs in force stay after a failed reload of %s", bad))
	}
	assert.Contains(t, logged(), "tls.clientCAs not reloaded: the client CAs in force stay")
	assert.Contains(t, logged(), broken)
	// An entry that is not MSPID=file is refused by the configuration's own rule.
	wrong := joined
	wrong.TLS.ClientCAs = append(slices.Clone(joined.TLS.ClientCAs), "no-equals-sign")
	require.ErrorContains(t, f.svc.ReloadClientCAs(wrong), "must be MSPID=file.pem")

	// The same through the signal, with a load that fails: nothing changes.
	mu.Lock()
	next = config.Config{}
	mu.Unlock()
	hup <- syscall.SIGHUP
	require.Eventually(t, func() bool {
		return strings.Count(logged(), "tls.clientCAs not reloaded") >= 4
	}, 5*time.Second, 20*time.Millisecond, "a configuration that does not load is refused and logged")
	assert.Equal(t, http.StatusForbidden, handshakeStatus(t, f.insistent(member), url))

	// Dropping Jiangsu's CA refuses its members' certificates from the next handshake on.
	dropped := f.cfg
	dropped.TLS.ClientCAs = []string{f.cfg.TLS.ClientCAs[0], "SuzhouMSP=" + caFile}
	require.NoError(t, f.svc.ReloadClientCAs(dropped))
	_, err = statusOf(f.insistent(f.foreign), url)
	require.Error(t, err, "a CA no longer trusted fails the handshake")
	require.NoError(t, stop())
}
