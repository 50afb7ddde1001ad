package service_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/service"
	"github.com/deltaledger/deltaledger/gateway/internal/service/servicetest"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/web"
)

type fixture struct {
	cfg     config.Config
	log     io.Writer // the service's log; discarded unless a test sets it
	svc     *service.Service
	fake    *chaintest.Fake
	ca      *wallettest.CA
	alice   wallettest.Issued
	foreign wallettest.Issued
	key     string
}

func writePEM(t *testing.T, path string, b []byte, mode os.FileMode) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, b, mode))
}

func newFixture(t *testing.T) *fixture {
	dir := t.TempDir()
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	other := wallettest.NewCA(t, "JiangsuMSP")
	f := &fixture{fake: chaintest.New(), ca: ca}
	f.alice = ca.Issue(t, "alice", "client")
	f.foreign = other.Issue(t, "mallory", "client")
	walletDir := filepath.Join(dir, "wallet")
	wallettest.WriteMember(t, walletDir, "alice", f.alice)

	server := ca.Issue(t, "gateway", "server", "127.0.0.1")
	writePEM(t, filepath.Join(dir, "server.pem"), server.CertPEM(), 0o644)
	writePEM(t, filepath.Join(dir, "server.key"), server.KeyPEM(), 0o600)
	writePEM(t, filepath.Join(dir, "ca.pem"), (wallettest.Issued{Certificate: ca.Certificate}).CertPEM(), 0o644)
	writePEM(t, filepath.Join(dir, "other-ca.pem"), (wallettest.Issued{Certificate: other.Certificate}).CertPEM(), 0o644)

	store, err := auth.OpenKeyStore(filepath.Join(dir, "apikeys.json"))
	require.NoError(t, err)
	f.key, _, err = store.Create("alice", "test", auth.DefaultKeyLifetime)
	require.NoError(t, err)

	f.cfg = config.Default()
	f.cfg.MSPID = "ShanghaiMSP"
	f.cfg.Wallet = walletDir
	f.cfg.APIKeys = filepath.Join(dir, "apikeys.json")
	f.cfg.Peer.Address, f.cfg.Peer.TLSCACert, f.cfg.Peer.Reader = "unused:1", filepath.Join(dir, "ca.pem"), "alice"
	f.cfg.TLS.Cert, f.cfg.TLS.Key = filepath.Join(dir, "server.pem"), filepath.Join(dir, "server.key")
	f.cfg.TLS.ClientCAs = []string{"ShanghaiMSP=" + filepath.Join(dir, "ca.pem"), "JiangsuMSP=" + filepath.Join(dir, "other-ca.pem")}
	f.cfg.Timeouts.Shutdown = 5 * time.Second
	f.cfg.Log.Level = "error"
	return f
}

// start runs the service; stop cancels it and returns Serve's error.
func (f *fixture) start(t *testing.T) (url string, stop func() error) {
	t.Helper()
	logTo := f.log
	if logTo == nil {
		logTo = io.Discard
	}
	svc, err := service.New(f.cfg, service.WithLedger(f.fake), service.WithLogger(service.NewLogger(logTo, "info")))
	require.NoError(t, err)
	f.svc = svc
	return servicetest.Start(t, svc)
}

func (f *fixture) client(cert *wallettest.Issued) *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(f.ca.Certificate)
	cfg := &tls.Config{RootCAs: pool}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{cert.TLS()}
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 10 * time.Second}
}

func TestTLSListenerAuthenticatesByCertificateOrKey(t *testing.T) {
	f := newFixture(t)
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	url, stop := f.start(t)
	defer stop()

	resp, err := f.client(&f.alice).Get(url + "/v1/participants/me")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "client certificate of a member")

	assert.Equal(t, 200, f.keyStatus(t, url), "API key")

	resp, err = f.client(nil).Get(url + "/v1/participants/me")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode, "no credentials")

	resp, err = f.client(&f.foreign).Get(url + "/v1/participants/me")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 403, resp.StatusCode, "member of another org")

	// A client holding only a certificate of an unknown CA has nothing the
	// server asks for, and is unauthenticated.
	rogue := wallettest.NewCA(t, "Rogue").Issue(t, "x", "client")
	resp, err = f.client(&rogue).Get(url + "/v1/participants/me")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)

	for _, c := range f.fake.Calls() {
		assert.Equal(t, "alice", c.Member)
	}
	require.NoError(t, stop())
}

// The listener serves the API explorer, the market monitor and their assets
// beside the API, without credentials, and the API's own answers are
// unchanged.
func TestListenerServesTheExplorer(t *testing.T) {
	f := newFixture(t)
	url, stop := f.start(t)
	defer stop()

	want := http.StatusOK
	if !web.Built() {
		want = http.StatusServiceUnavailable
	}
	resp, err := f.client(nil).Get(url + "/explorer")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, want, resp.StatusCode, "/explorer (redirected to /explorer/): %s", body)
	assert.Equal(t, "/explorer/", resp.Request.URL.Path)
	assert.Contains(t, string(body), "/v1/openapi.json", "the page names the document")

	resp, err = f.client(nil).Get(url + web.URL("swagger-ui-dist", "swagger-ui-bundle.js"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, want, resp.StatusCode, "Swagger UI's script")

	resp, err = f.client(nil).Get(url + "/dashboard")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, want, resp.StatusCode, "/dashboard (redirected to /dashboard/): %s", body)
	assert.Equal(t, "/dashboard/", resp.Request.URL.Path)

	resp, err = f.client(nil).Get(url + "/v1/no-such-thing")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "the API's own 404")
	require.NoError(t, stop())
}

func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	f := newFixture(t)
	started := make(chan struct{})
	release := make(chan struct{})
	f.fake.Handle("participants:Reinstate", func(chaintest.Call) (chaintest.Response, error) {
		close(started)
		<-release
		return chaintest.Response{Result: []byte(`{"id":"p-1"}`)}, nil
	})
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Roles: []string{"holder"}})
	url, stop := f.start(t)

	// An open event stream must not hold the shutdown up.
	streamReq, _ := http.NewRequest("GET", url+"/v1/events", nil)
	streamReq.Header.Set("Authorization", "Bearer "+f.key)
	stream, err := f.client(nil).Do(streamReq)
	require.NoError(t, err)
	defer stream.Body.Close()

	result := make(chan *http.Response, 1)
	go func() {
		req, _ := http.NewRequest("POST", url+"/v1/participants/p-1/reinstate", nil)
		req.Header.Set("Authorization", "Bearer "+f.key)
		resp, err := f.client(nil).Do(req)
		if err == nil {
			result <- resp
		}
		close(result)
	}()
	<-started
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(100 * time.Millisecond)
	close(release)
	resp := <-result
	require.NotNil(t, resp, "the in-flight request was answered")
	var body map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.NotEmpty(t, body["transaction_id"])
	require.NoError(t, <-stopped)
}

func TestRefusesToStartWithAnExposedKey(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, os.Chmod(filepath.Join(f.cfg.Wallet, "alice", "key.pem"), 0o644))
	_, err := service.New(f.cfg, service.WithLedger(f.fake))
	assert.ErrorContains(t, err, "readable by group or others")

	f = newFixture(t)
	require.NoError(t, os.Chmod(f.cfg.TLS.Key, 0o644))
	_, err = service.New(f.cfg, service.WithLedger(f.fake))
	assert.ErrorContains(t, err, "tls.key")
}

// The CA registrar's key registers and revokes the org's members: the gateway refuses to start with it readable by
// the machine's other users, as it refuses a wallet member's key, and starts with it its owner's alone.
func TestRefusesToStartWithAnExposedRegistrarKey(t *testing.T) {
	f := newFixture(t)
	registrar := f.ca.Issue(t, "gateway-registrar", "client")
	msp := filepath.Join(t.TempDir(), "registrar", "msp")
	require.NoError(t, fabricca.WriteMSP(msp, registrar.KeyPEM(), registrar.CertPEM(), registrar.CertPEM()))
	f.cfg.CA.URL, f.cfg.CA.Name, f.cfg.CA.TLSCACert, f.cfg.CA.Registrar = "https://127.0.0.1:1", "ca", f.cfg.Peer.TLSCACert, msp
	f.cfg.StateDir = t.TempDir()

	svc, err := service.New(f.cfg, service.WithLedger(f.fake))
	require.NoError(t, err, "a registrar key of mode 600 starts the gateway")
	require.NoError(t, svc.Close())

	require.NoError(t, os.Chmod(filepath.Join(msp, fabricca.MSPKeyFile), 0o640))
	_, err = service.New(f.cfg, service.WithLedger(f.fake))
	require.Error(t, err, "a registrar key its group may read does not start the gateway")
	assert.ErrorContains(t, err, "ca.registrar")
	assert.ErrorContains(t, err, "readable by group or others")
}

func TestMarketIndexIsFedAndServedAcrossRestarts(t *testing.T) {
	f := newFixture(t)
	f.cfg.Index.Enabled, f.cfg.Indices.Member = true, "alice"
	f.cfg.StateDir = t.TempDir()
	sell := func(id string, price int) {
		f.fake.Chain().Add(chaintest.Tx(chaintest.Record("trade", model.Trade{ID: id, Category: "transport", Region: "shanghai",
			Status: "COMPLETED", Pricing: "FIXED", PriceFen: int64(price)}, id)))
	}
	statistics := func(url string, volume float64) map[string]any {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			req, _ := http.NewRequest("GET", url+"/v1/market/statistics?groupBy=region", nil)
			req.Header.Set("Authorization", "Bearer "+f.key)
			resp, err := f.client(nil).Do(req)
			require.NoError(t, err)
			var body map[string]any
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
			resp.Body.Close()
			require.Equal(t, 200, resp.StatusCode, "%v", body)
			if body["total"].(map[string]any)["volume"] == volume {
				return body
			}
			require.True(t, time.Now().Before(deadline), "not indexed: %v", body)
			time.Sleep(10 * time.Millisecond)
		}
	}

	sell("t1", 100)
	url, stop := f.start(t)
	statistics(url, 1)
	require.NoError(t, stop())
	assert.FileExists(t, filepath.Join(f.cfg.StateDir, "market-index.db"))

	sell("t2", 300) // while the gateway is down
	url, stop = f.start(t)
	defer stop()
	body := statistics(url, 2)
	assert.EqualValues(t, 200, body["total"].(map[string]any)["averagePriceFen"])
	require.NoError(t, stop())

	f.cfg.Indices.Member = "nobody"
	_, err := service.New(f.cfg, service.WithLedger(f.fake))
	assert.ErrorContains(t, err, "indices.member")
	f.cfg.Indices.Member, f.cfg.Closer.Member = "alice", "nobody"
	_, err = service.New(f.cfg, service.WithLedger(f.fake))
	assert.ErrorContains(t, err, "closer.member")
}

// A gateway with the ledger index whose closer.member is an operator
// closes, as that member, the trades a sale of a holding in its region left
// waiting (package closer).
func TestAnOperatorsGatewayClosesTheTradesASaleLeftWaiting(t *testing.T) {
	f := newFixture(t)
	f.cfg.Index.Enabled, f.cfg.Indices.AutoPublish, f.cfg.Closer.Member, f.cfg.Closer.Interval = true, false, "alice", time.Second
	f.cfg.StateDir = t.TempDir()
	f.fake.Returns("participants:WhoAmI", model.Participant{ID: "alice", Region: "shanghai", Roles: []string{model.RoleOperator}})
	f.fake.Returns("trades:CloseOthers", model.ClosedTrades{SaleTradeID: "sale", TradeIDs: []string{"other"}})
	trade := func(id, status string) model.Trade {
		return model.Trade{ID: id, ListingID: "listing-hold", AssetID: "asset-1", RightType: model.RightHolding, Category: "transport",
			Region: "shanghai", SellerID: "seller", BuyerID: "buyer-" + id, Status: status, Pricing: model.PricingFixed, PriceFen: 100}
	}
	f.fake.Chain().Add(chaintest.Tx(chaintest.Record("trade", trade("sale", model.TradeCompleted), "sale")),
		chaintest.Tx(chaintest.Record("trade", trade("other", model.TradeOrdered), "other")))
	_, stop := f.start(t)
	defer stop()
	require.Eventually(t, func() bool { return len(f.fake.CallsTo("trades:CloseOthers")) > 0 }, 10*time.Second, 20*time.Millisecond)
	call := f.fake.CallsTo("trades:CloseOthers")[0]
	assert.True(t, call.Submit)
	assert.Equal(t, "alice", call.Member)
	assert.Equal(t, []string{"sale", ""}, call.Args, "the first page")
	require.NoError(t, stop())
}

func TestProfilesAreServedOnlyOnTheirOwnLoopbackListener(t *testing.T) {
	f := newFixture(t)
	// A free loopback port for the profiles.
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := probe.Addr().String()
	require.NoError(t, probe.Close())
	f.cfg.Debug.PprofListen = addr
	url, stop := f.start(t)
	defer stop()

	var resp *http.Response
	require.Eventually(t, func() bool {
		resp, err = http.Get("http://" + addr + "/debug/pprof/goroutine?debug=1")
		return err == nil
	}, 5*time.Second, 50*time.Millisecond)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(body), "goroutine profile")

	// The API's listener does not serve them.
	api, err := f.client(nil).Get(url + "/debug/pprof/goroutine")
	require.NoError(t, err)
	api.Body.Close()
	assert.Equal(t, 404, api.StatusCode)

	require.NoError(t, stop())
	_, err = http.Get("http://" + addr + "/debug/pprof/")
	assert.Error(t, err, "the profile listener closes with the gateway")
}

// At start the gateway warns of the unrevoked API keys expiring within auth.ExpiringSoon or expired, by count
// (naming no key), and says nothing when there are none.
func TestStartWarnsOfAPIKeysToRotate(t *testing.T) {
	f := newFixture(t)
	started := func() string {
		var log bytes.Buffer
		_, err := service.New(f.cfg, service.WithLedger(f.fake), service.WithLogger(service.NewLogger(&log, "info")))
		require.NoError(t, err)
		return log.String()
	}
	assert.NotContains(t, started(), "API keys to rotate", "a key of the default lifetime is no key to rotate")

	store, err := auth.OpenKeyStore(f.cfg.APIKeys)
	require.NoError(t, err)
	_, rec, err := store.Create("alice", "a day", 24*time.Hour)
	require.NoError(t, err)
	log := started()
	assert.Contains(t, log, `"msg":"API keys to rotate`)
	assert.Contains(t, log, `"expiring_soon":1,"expired":0`)
	assert.NotContains(t, log, rec.ID, "the log names no key")
}

// farListener is a loopback listener that says it is bound to another machine's address, as a listener on the
// address a hosts file or DNS server resolved "localhost" to would be.
type farListener struct{ net.Listener }

func (farListener) Addr() net.Addr { return &net.TCPAddr{IP: net.ParseIP("192.0.2.7"), Port: 27180} }

// With tls.disabled the gateway serves only on a listener bound to this machine's loopback, whatever the name listen
// gives (config.Validate accepts "localhost" by name): a listener bound elsewhere is closed, and the error names the
// setting and where it was bound.
func TestPlainHTTPIsServedOnlyOnALoopbackListener(t *testing.T) {
	serve := func(t *testing.T, ln net.Listener) <-chan error {
		f := newFixture(t)
		f.cfg.TLS.Disabled, f.cfg.TLS.Cert, f.cfg.TLS.Key, f.cfg.TLS.ClientCAs = true, "", "", nil
		f.cfg.Listen = "localhost:27180"
		svc, err := service.New(f.cfg, service.WithLedger(f.fake))
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done, stopped := make(chan error, 1), make(chan struct{})
		go func() { done <- svc.ServeListener(ctx, ln); close(stopped) }()
		t.Cleanup(func() { cancel(); <-stopped })
		return done
	}
	get := func(addr string) (int, error) {
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/v1/no-such-thing")
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := serve(t, farListener{ln})
	select {
	case err := <-done:
		assert.ErrorContains(t, err, `tls.disabled: listen "localhost:27180" is bound to 192.0.2.7:27180, not this machine's loopback`)
	case <-time.After(5 * time.Second):
		t.Error("plain http is served on a listener bound to another machine")
	}
	_, err = get(ln.Addr().String())
	assert.Error(t, err, "the listener bound elsewhere is closed, serving nothing")

	ln, err = net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done = serve(t, ln)
	var status int
	require.Eventually(t, func() bool { status, err = get(ln.Addr().String()); return err == nil }, 5*time.Second, 20*time.Millisecond,
		"a loopback listener serves plain http")
	assert.Equal(t, http.StatusNotFound, status)
	select {
	case err := <-done:
		t.Errorf("the loopback listener stopped: %v", err)
	default:
	}
}
