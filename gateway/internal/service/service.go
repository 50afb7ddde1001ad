// Package service assembles the gateway from its configuration: the wallet,
// the authenticator, the Fabric connection, the API and the TLS listener, and
// runs it until its context ends, then shuts down gracefully.
package service

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/fabric"
	"github.com/deltaledger/deltaledger/gateway/internal/closer"
	"github.com/deltaledger/deltaledger/gateway/internal/config"
	"github.com/deltaledger/deltaledger/gateway/internal/dashboard"
	"github.com/deltaledger/deltaledger/gateway/internal/explorer"
	"github.com/deltaledger/deltaledger/gateway/internal/index"
	"github.com/deltaledger/deltaledger/gateway/internal/metrics"
	"github.com/deltaledger/deltaledger/gateway/internal/onboarding"
	"github.com/deltaledger/deltaledger/gateway/internal/publisher"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/internal/loopback"
	"github.com/deltaledger/deltaledger/internal/profiling"
	"github.com/deltaledger/deltaledger/web"
)

// Service is an assembled gateway, ready to serve.
type Service struct {
	cfg      config.Config
	log      *slog.Logger
	ledger   chain.Ledger
	closer   io.Closer
	outcomes *transactions.Store
	api      *api.Server
	http     *http.Server
	done     chan struct{}
	metrics  *metrics.Metrics
	index    *index.Index     // nil unless index.enabled
	crl      *revocation.List // the org's CAs' CRLs, one per CA; without ca.url those of tls.orgMSP's crls/ alone
	authn    *auth.Authenticator
	// tlsBase is the listener's TLS configuration but for its client CAs; clientTLS is tlsBase with the client CAs in
	// force, which every handshake takes (GetConfigForClient) and ReloadClientCAs replaces. Nil with tls.disabled.
	tlsBase   *tls.Config
	clientTLS atomic.Pointer[tls.Config]
	// reloading keeps a reload's two swaps (the authenticator's CAs, the listener's) together.
	reloading sync.Mutex
}

// Option configures a Service.
type Option func(*options)

type options struct {
	ledger chain.Ledger
	log    *slog.Logger
}

// WithLedger serves over l instead of dialling the peer (tests).
func WithLedger(l chain.Ledger) Option { return func(o *options) { o.ledger = l } }

// WithLogger sets the logger (default: JSON on stderr at the configured
// level).
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// NewLogger returns the JSON logger of a level name.
func NewLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// New assembles the gateway. It refuses to start when a private key file
// (a member's or the listener's) may be read by group or others.
func New(cfg config.Config, opts ...Option) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var o options
	for _, apply := range opts {
		apply(&o)
	}
	if o.log == nil {
		o.log = NewLogger(os.Stderr, cfg.Log.Level)
	}
	s := &Service{cfg: cfg, log: o.log, done: make(chan struct{}), metrics: metrics.New()}

	w, err := wallet.Load(cfg.Wallet, cfg.MSPID)
	if err != nil {
		return nil, err
	}
	keys, err := auth.OpenKeyStore(cfg.APIKeys)
	if err != nil {
		return nil, err
	}
	s.warnOfKeysToRotate(keys)
	cas, err := trustedCAs(cfg.TLS.ClientCAs)
	if err != nil {
		return nil, err
	}
	ids, err := identityCAs(cfg.TLS.OrgMSP)
	if err != nil {
		return nil, err
	}
	authOptions := []auth.Option{auth.WithKeyStore(keys), auth.WithTrustedCAs(cas...), auth.WithIdentityCAs(ids)}
	var registrar *onboarding.Registrar
	if cfg.CA.URL != "" {
		registrar, err = onboarding.Open(cfg.CA.URL, cfg.CA.Name, cfg.CA.TLSCACert, cfg.CA.Registrar)
		if err != nil {
			return nil, err
		}
		s.crl = revocation.New(crlIssuers(cfg.MSPID, cas, ids), registrar.CRL, s.log, revocation.WithFile(cfg.CRLFile()))
		if err := s.crl.Load(); err != nil {
			return nil, fmt.Errorf("revocation: %w (it keeps the CA's CRL across restarts: delete it only to start without the revocations it lists until the CA answers)", err)
		}
	} else {
		// No CA to ask: the CRLs held are those of the MSP folder's crls/ alone, which must refuse a wallet member
		// they list (the folder judges only members who sign themselves).
		s.crl = revocation.New(crlIssuers(cfg.MSPID, cas, ids), nil, s.log)
	}
	s.installFolderCRLs(ids)
	authOptions = append(authOptions, auth.WithRevocations(s.crl))
	authn := auth.New(cfg.MSPID, w, authOptions...)
	s.authn = authn
	s.warnOfNoEnrolmentCA()

	s.ledger = o.ledger
	if s.ledger == nil {
		fl, err := dialPeer(cfg, w, s.log, s.metrics)
		if err != nil {
			return nil, err
		}
		s.ledger, s.closer = fl, fl
	}

	limits := transactions.WithLimits(cfg.Idem.MaxPerMember, cfg.Idem.MaxBytes)
	if cfg.Idem.File != "" {
		s.outcomes, err = transactions.OpenStore(cfg.Idem.File, cfg.Idem.TTL, limits)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("idempotency store: %w", err)
		}
	} else {
		s.outcomes = transactions.NewStore(cfg.Idem.TTL, limits)
	}
	managerOptions := []transactions.Option{transactions.WithOrg(cfg.MSPID),
		transactions.WithStatusWait(cfg.Timeouts.StatusWait), transactions.WithResolveWait(cfg.Timeouts.Resolve),
		transactions.WithReader(cfg.Peer.Reader)}

	apiOptions := []api.Option{
		api.WithLogger(s.log),
		api.WithMetrics(s.metrics),
		api.WithReadLimit(cfg.Limits.ReadRatePerSecond, cfg.Limits.ReadBurst),
		api.WithWriteLimit(cfg.Limits.WriteRatePerSecond, cfg.Limits.WriteBurst),
		api.WithBodyLimit(cfg.Limits.BodyBytes),
		api.WithHeartbeat(cfg.Events.Heartbeat),
		api.WithOrg(cfg.MSPID),
		api.WithShutdown(s.done),
	}
	if cfg.Index.Enabled {
		if _, ok := w.Member(cfg.Indices.Member); cfg.Indices.AutoPublish && !ok {
			s.Close()
			return nil, fmt.Errorf("indices.member %q is not a member of the wallet %s", cfg.Indices.Member, cfg.Wallet)
		}
		if _, ok := w.Member(cfg.Closer.Member); cfg.Closer.Member != "" && !ok {
			s.Close()
			return nil, fmt.Errorf("closer.member %q is not a member of the wallet %s", cfg.Closer.Member, cfg.Wallet)
		}
		if _, ok := s.ledger.(chain.BlockReader); !ok {
			s.Close()
			return nil, errors.New("the ledger index needs a ledger that reads blocks")
		}
		s.index, err = OpenIndex(cfg, index.WithLogger(s.log), index.WithObserver(s.metrics))
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("ledger index: %w", err)
		}
		apiOptions = append(apiOptions, api.WithMarketIndex(s.index))
		managerOptions = append(managerOptions, transactions.WithSenders(s.index))
	}
	apiOptions = append(apiOptions, api.WithTransactions(transactions.New(s.ledger, s.outcomes, managerOptions...)))
	if registrar != nil {
		apiOptions = append(apiOptions, api.WithOnboarding(registrar), api.WithRevocationList(s.crl))
	}
	s.api, err = api.New(routes.Table(), s.ledger, authn, apiOptions...)
	if err != nil {
		s.Close()
		return nil, err
	}

	s.http = &http.Server{
		Addr:              cfg.Listen,
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		// A submit may wait for its commit and then for an unknown outcome
		// to resolve; event streams lift the deadline for themselves.
		WriteTimeout: cfg.Timeouts.Endorse + cfg.Timeouts.Submit + cfg.Timeouts.Commit + cfg.Timeouts.Resolve + 30*time.Second,
		IdleTimeout:  2 * time.Minute,
		ErrorLog:     log.New(&slogWriter{s.log}, "", 0),
	}
	if !cfg.TLS.Disabled {
		if err := wallet.CheckPrivate(cfg.TLS.Key); err != nil {
			s.Close()
			return nil, fmt.Errorf("tls.key: %w", err)
		}
		cert, err := tls.LoadX509KeyPair(cfg.TLS.Cert, cfg.TLS.Key)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("listener certificate: %w", err)
		}
		s.tlsBase = &tls.Config{
			Certificates: []tls.Certificate{cert},
			MinVersion:   tls.VersionTLS12,
			// Certificates are optional (API keys are the other way in);
			// a certificate that is given must chain to a trusted CA.
			ClientAuth: tls.VerifyClientCertIfGiven,
		}
		if err := s.storeClientTLS(); err != nil {
			s.Close()
			return nil, err
		}
		s.http.TLSConfig = s.tlsBase.Clone()
		s.http.TLSConfig.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) {
			return s.clientTLS.Load(), nil
		}
	}
	return s, nil
}

// storeClientTLS makes the handshakes from now on verify client certificates against the authenticator's CAs. Its
// session tickets are sealed with a key of its own, so that a session whose certificate was verified against the CAs
// in force before is not resumed after a reload.
func (s *Service) storeClientTLS() error {
	c := s.tlsBase.Clone()
	c.ClientCAs = s.authn.ClientCAs()
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return fmt.Errorf("session ticket key: %w", err)
	}
	c.SetSessionTicketKeys([][32]byte{key})
	s.clientTLS.Store(c)
	return nil
}

// ReloadClientCAs makes the gateway trust the client CAs of next's tls.clientCAs, their files read again, from the
// next TLS handshake and request on, without a restart: a region that joins the running network (README "A region
// joins") is trusted by the gateways that already run, whose open connections and event streams go on. It reads
// the org's MSP folder (tls.orgMSP) again too, for an enrolment CA renewed there. Only tls.clientCAs and
// tls.orgMSP are taken from next; other settings that differ take effect when the gateway restarts (it says so).
// When next is not valid or a CA file cannot be read, the CAs in force stay and the error says why (it is logged
// too). The own org's CRLs are taken from now on when signed by a CA of the reloaded ones (crlIssuers), and those of
// the MSP folder's crls/ are installed (installFolderCRLs).
func (s *Service) ReloadClientCAs(next config.Config) (err error) {
	defer func() {
		if err != nil {
			s.log.Error("tls.clientCAs not reloaded: the client CAs in force stay", "error", err)
		}
	}()
	if s.tlsBase == nil {
		return errors.New("tls.disabled: the listener verifies no client certificates")
	}
	if err := next.Validate(); err != nil {
		return err
	}
	cas, err := trustedCAs(next.TLS.ClientCAs)
	if err != nil {
		return err
	}
	ids, err := identityCAs(next.TLS.OrgMSP)
	if err != nil {
		return err
	}
	s.reloading.Lock()
	defer s.reloading.Unlock()
	s.authn.SetTrust(cas, ids)
	s.crl.SetIssuers(crlIssuers(s.cfg.MSPID, cas, ids))
	s.installFolderCRLs(ids)
	s.warnOfNoEnrolmentCA()
	if err := s.storeClientTLS(); err != nil {
		return err
	}
	msps := make([]string, 0, len(cas))
	for _, ca := range cas {
		msps = append(msps, ca.MSPID)
	}
	slices.Sort(msps)
	s.log.Info("tls.clientCAs reloaded", "orgs", slices.Compact(msps), "files", len(cas))
	if !reflect.DeepEqual(next.RestartSettings(), s.cfg.RestartSettings()) {
		s.log.Warn("settings other than tls.clientCAs changed; they take effect when the gateway restarts")
	}
	return nil
}

// ReloadOn calls ReloadClientCAs with the configuration load returns (the file and environment read again) on each
// signal of signals, until ctx ends. The serve command passes SIGHUP: scripts/add-region.sh signals each running
// gateway so when a region joined.
func (s *Service) ReloadOn(ctx context.Context, signals <-chan os.Signal, load func() (config.Config, error)) {
	for {
		select {
		case <-ctx.Done():
			return
		case sig := <-signals:
			s.log.Info("reloading tls.clientCAs", "signal", sig.String())
			next, err := load()
			if err != nil {
				s.log.Error("tls.clientCAs not reloaded: the client CAs in force stay", "error", err)
				continue
			}
			_ = s.ReloadClientCAs(next) // it logs why it failed
		}
	}
}

// warnOfKeysToRotate logs at start how many unrevoked API keys expire within auth.ExpiringSoon or have expired,
// and exports those counts as a metric read at each scrape: an operator learns of a key about to be refused before
// the member's application is. The log names no key: `apikey list` marks them (SOON, EXPIRED).
func (s *Service) warnOfKeysToRotate(keys *auth.KeyStore) {
	s.metrics.WatchAPIKeys(auth.ExpiringSoon, keys.Expiring)
	if soon, expired := keys.Expiring(); soon+expired > 0 {
		s.log.Warn("API keys to rotate (apikey list marks them; create a new key, then revoke the old)",
			"expiring_within", auth.ExpiringSoon.String(), "expiring_soon", soon, "expired", expired)
	}
}

// API returns the HTTP handler, for tests.
func (s *Service) API() http.Handler { return s.api }

// handler serves the API and, beside it, the API explorer, the market
// monitor and the web assets their pages load (package web).
func (s *Service) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(explorer.Path, explorer.Handler(routes.OpenAPIPath))
	mux.Handle(dashboard.Path, dashboard.Handler())
	mux.Handle(web.Prefix, web.Handler())
	mux.Handle("/", s.api)
	return mux
}

// OpenIndex opens the ledger index the configuration names.
func OpenIndex(cfg config.Config, options ...index.Option) (*index.Index, error) {
	path, dsn := cfg.IndexStore()
	return index.Open(index.Store{Path: path, DSN: dsn}, append([]index.Option{
		index.WithLedgerName(cfg.Channel, cfg.Chaincode), index.WithMaxWait(cfg.Index.MaxWait)}, options...)...)
}

// DialPeer connects to the org's peer as the wallet's members.
func DialPeer(cfg config.Config) (*fabric.Ledger, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	w, err := wallet.Load(cfg.Wallet, cfg.MSPID)
	if err != nil {
		return nil, err
	}
	return dialPeer(cfg, w, slog.New(slog.NewJSONHandler(io.Discard, nil)), metrics.New())
}

func dialPeer(cfg config.Config, w *wallet.Wallet, log *slog.Logger, m *metrics.Metrics) (*fabric.Ledger, error) {
	roots, err := readCertificates(cfg.Peer.TLSCACert)
	if err != nil {
		return nil, fmt.Errorf("peer.tlsCACert: %w", err)
	}
	fc := fabric.Config{
		PeerAddress: cfg.Peer.Address, TLSRootCAs: roots, ServerName: cfg.Peer.ServerName,
		Channel: cfg.Channel, Chaincode: cfg.Chaincode, Reader: cfg.Peer.Reader,
		EvaluateTimeout: cfg.Timeouts.Evaluate, EndorseTimeout: cfg.Timeouts.Endorse, SubmitTimeout: cfg.Timeouts.Submit,
		CommitTimeout: cfg.Timeouts.Commit, ResolveTimeout: cfg.Timeouts.Resolve,
	}
	if cfg.Peer.ClientCert != "" {
		if err := wallet.CheckPrivate(cfg.Peer.ClientKey); err != nil {
			return nil, fmt.Errorf("peer.clientKey: %w", err)
		}
		cert, err := tls.LoadX509KeyPair(cfg.Peer.ClientCert, cfg.Peer.ClientKey)
		if err != nil {
			return nil, fmt.Errorf("peer client certificate: %w", err)
		}
		fc.ClientCertificate = &cert
	}
	return fabric.Dial(fc, w, fabric.WithLogger(log), fabric.WithMetrics(m))
}

// trustedCAs reads "MSPID=file" entries.
func trustedCAs(entries []string) ([]auth.TrustedCA, error) {
	var out []auth.TrustedCA
	for _, e := range entries {
		msp, file, _ := strings.Cut(e, "=")
		certs, err := readCertificates(file)
		if err != nil {
			return nil, fmt.Errorf("tls.clientCAs %s: %w", msp, err)
		}
		out = append(out, auth.TrustedCA{MSPID: msp, Certificates: certs})
	}
	return out, nil
}

func readCertificates(path string) ([]*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*x509.Certificate
	for {
		var block *pem.Block
		block, b = pem.Decode(b)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return out, nil
}

// Serve listens on the configured address and serves until ctx ends.
func (s *Service) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return err
	}
	return s.ServeListener(ctx, ln)
}

// ServeListener serves on ln until ctx ends, then stops accepting, ends
// event streams, lets in-flight requests finish (up to the shutdown
// timeout) and closes the Fabric connection.
//
// With tls.disabled it serves only a listener bound to this machine's loopback: the setting's check (config.Validate)
// takes listen's name, which net.Listen resolves, and a hosts file or DNS server may resolve "localhost" to an address
// other machines reach, where every caller's API key would travel in clear.
func (s *Service) ServeListener(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	if s.http.TLSConfig != nil {
		ln = tls.NewListener(ln, s.http.TLSConfig)
	} else if !loopback.Actual(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("tls.disabled: listen %q is bound to %s, not this machine's loopback (the name resolved elsewhere), where API keys would travel in clear: set listen to a loopback address such as 127.0.0.1:27180, or serve TLS",
			s.cfg.Listen, ln.Addr())
	}
	s.log.Info("gateway listening", "address", ln.Addr().String(), "tls", s.http.TLSConfig != nil,
		"msp_id", s.cfg.MSPID, "peer", s.cfg.Peer.Address, "channel", s.cfg.Channel, "chaincode", s.cfg.Chaincode)
	if s.cfg.CA.URL != "" {
		// The CA's newest CRL before the first request; a CA that does not answer delays nothing more than this: the
		// CRL kept on disk (Load, in New) already refuses every certificate refused before the restart.
		first, cancel := context.WithTimeout(ctx, 10*time.Second)
		if err := s.crl.Refresh(first); err != nil {
			s.log.Warn("revocation: the CA's CRL could not be read at start; retrying every ca.crlRefresh", "error", err)
		}
		cancel()
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(ln) }()
	go s.sweep(ctx)
	if s.cfg.CA.URL != "" {
		go s.crl.Run(ctx, s.cfg.CA.CRLRefresh)
	}
	if idx := s.index; idx != nil {
		// The market index follows the ledger until the gateway stops; its
		// database is closed (by Close) only after the feed has ended.
		indexCtx, stopIndex := context.WithCancel(ctx)
		indexDone := make(chan struct{})
		go func() {
			defer close(indexDone)
			_ = idx.Run(indexCtx, s.ledger.(chain.BlockReader))
		}()
		if s.cfg.Indices.AutoPublish {
			// Each ended period is attested, opened and published from the
			// index, by the rule that makes every region count the same
			// blocks (package publisher).
			publisherDone := make(chan struct{})
			go func() {
				defer close(publisherDone)
				publisher.New(s.ledger, idx, publisher.Config{Member: s.cfg.Indices.Member, MSPID: s.cfg.MSPID,
					Kinds: s.cfg.Indices.Periods, Lookback: s.cfg.Indices.Lookback, Interval: s.cfg.Indices.Interval}, s.log).Run(indexCtx)
			}()
			defer func() {
				stopIndex() // the publisher stops with the index, before the index's own wait
				<-publisherDone
			}()
		}
		if m := s.cfg.Closer.Member; m != "" {
			// The trades a sale of a holding left waiting are closed, in the
			// member's region when it is an operator (package closer).
			closerDone := make(chan struct{})
			go func() {
				defer close(closerDone)
				closer.New(s.ledger, idx, closer.Config{Member: m, Interval: s.cfg.Closer.Interval}, s.log).Run(indexCtx)
			}()
			defer func() {
				stopIndex() // the closer stops with the index, before the index's own wait
				<-closerDone
			}()
		}
		defer func() {
			stopIndex()
			<-indexDone
		}()
	}
	if addr := s.cfg.Debug.PprofListen; addr != "" {
		bound, stopProfiles, err := profiling.Serve(addr)
		if err != nil {
			return fmt.Errorf("debug.pprofListen: %w", err)
		}
		defer stopProfiles()
		s.log.Warn("serving runtime profiles (debug.pprofListen); turn it off when done", "address", bound)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing in-flight requests", "timeout", s.cfg.Timeouts.Shutdown.String())
	close(s.done)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeouts.Shutdown)
	defer cancel()
	err := s.http.Shutdown(shutdownCtx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	s.log.Info("gateway stopped")
	return err
}

// sweep forgets expired idempotent outcomes every minute until ctx ends.
func (s *Service) sweep(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			s.outcomes.Sweep()
		case <-ctx.Done():
			return
		}
	}
}

// Close releases the Fabric connection, the idempotency file and the market
// index.
func (s *Service) Close() error {
	var errs []error
	if s.index != nil {
		errs = append(errs, s.index.Close())
		s.index = nil
	}
	if s.closer != nil {
		errs = append(errs, s.closer.Close())
		s.closer = nil
	}
	if s.outcomes != nil {
		errs = append(errs, s.outcomes.Close())
	}
	return errors.Join(errs...)
}

// slogWriter sends net/http's own log lines (TLS handshake errors and the
// like) to the structured log.
type slogWriter struct{ log *slog.Logger }

func (w *slogWriter) Write(p []byte) (int, error) {
	w.log.Warn(strings.TrimSpace(string(p)), "source", "net/http")
	return len(p), nil
}
