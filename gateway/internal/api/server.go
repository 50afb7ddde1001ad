// Package api is the gateway's HTTP layer: it serves the operations of the
// route table (package routes) over a chain.Ledger, as the member each
// request authenticates as.
//
// Every answer is JSON; every error has one shape (wire.ErrorBody). The
// handlers never panic on input, and a recover middleware turns any bug into
// a 500 all the same.
package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/events"
	"github.com/deltaledger/deltaledger/gateway/internal/metrics"
	"github.com/deltaledger/deltaledger/gateway/internal/openapi"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/signing"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/internal/locale"
)

// Authenticator decides who a request acts as (package auth implements it).
type Authenticator interface {
	Authenticate(r *http.Request) (*auth.Caller, error)
	// Recheck checks again, before each thing it delivers, the credentials of a request that lasts (an event stream).
	Recheck(r *http.Request, member string) *auth.Recheck
}

// Server serves the API.
type Server struct {
	table   []routes.Route
	ledger  chain.Ledger
	auth    Authenticator
	log     *slog.Logger
	metrics *metrics.Metrics

	transactions transactions.Manager
	reads        *limiter
	writes       *limiter
	bodyLimit    int64
	heartbeat    time.Duration
	readyTTL     time.Duration
	readyTimeout time.Duration
	mspID        string
	coEndorser   string
	visibility   *events.Visibility
	rolesTTL     time.Duration
	done         <-chan struct{}
	market       MarketIndex
	onboarding   Onboarding
	revocations  RevocationList
	height       *peerHeight
	minBlockWait time.Duration
	signing      *signing.Store
	routeByID    map[string]routes.ChaincodeRoute

	doc      []byte
	mux      *http.ServeMux
	patterns []string
	notFound http.Handler
	ready    readyCache
	regions  regionsCache
	streams  openStreams
}

// Option configures a Server.
type Option func(*Server)

// WithLogger sets the structured logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithMetrics records request and Fabric metrics.
func WithMetrics(m *metrics.Metrics) Option { return func(s *Server) { s.metrics = m } }

// WithTransactions sets the manager of chaincode calls: submits with their
// idempotent retries and unknown outcomes, evaluations and transaction
// status (default: one over the server's ledger, keeping outcomes for a day
// in memory).
func WithTransactions(m transactions.Manager) Option { return func(s *Server) { s.transactions = m } }

// WithReadLimit allows each member perSecond reads on average, in bursts of
// burst: evaluates, lists, commit status, market statistics, event streams.
// A non-positive rate disables the limit.
func WithReadLimit(perSecond float64, burst int) Option {
	return func(s *Server) { s.reads = newLimiter(budgetRead, perSecond, burst) }
}

// WithWriteLimit allows each member perSecond writes on average, in bursts
// of burst: submits, credit lookups (each commits a trace) and the indices'
// attestations and publications. A non-positive rate disables the limit.
func WithWriteLimit(perSecond float64, burst int) Option {
	return func(s *Server) { s.writes = newLimiter(budgetWrite, perSecond, burst) }
}

// WithBodyLimit bounds request bodies (default 1 MiB); larger ones get 413.
func WithBodyLimit(n int64) Option { return func(s *Server) { s.bodyLimit = n } }

// WithHeartbeat sets the interval of SSE keep-alive comments (default 15 s).
func WithHeartbeat(d time.Duration) Option { return func(s *Server) { s.heartbeat = d } }

// WithReadyCache sets how long a readiness answer is reused (default 5 s)
// and how long a readiness check may take (default 5 s).
func WithReadyCache(ttl, timeout time.Duration) Option {
	return func(s *Server) { s.readyTTL, s.readyTimeout = ttl, timeout }
}

// WithOrg names the gateway's organisation (its MSP ID), for operations run
// on its own peers only (routes.ChaincodeRoute.OwnOrg).
func WithOrg(mspID string) Option { return func(s *Server) { s.mspID = mspID } }

// WithRolesTTL sets how often an open event stream reads the member's
// standing (its participant ID and roles) from the ledger again, and how
// long the market rules' regions are kept (default 30 s).
func WithRolesTTL(d time.Duration) Option { return func(s *Server) { s.rolesTTL = d } }

// WithMinBlockWait bounds how long a request with X-Min-Block waits for the
// gateway's peer to commit that block (default 10 s).
func WithMinBlockWait(d time.Duration) Option { return func(s *Server) { s.minBlockWait = d } }

// WithShutdown gives a channel closed when the server shuts down, so that
// event streams end and let the shutdown finish.
func WithShutdown(done <-chan struct{}) Option { return func(s *Server) { s.done = done } }

// New builds the server for a route table.
func New(table []routes.Route, l chain.Ledger, a Authenticator, options ...Option) (*Server, error) {
	if err := routes.Check(table); err != nil {
		return nil, err
	}
	s := &Server{
		table:        table,
		ledger:       l,
		auth:         a,
		log:          slog.New(slog.NewJSONHandler(io.Discard, nil)),
		bodyLimit:    1 << 20,
		heartbeat:    15 * time.Second,
		readyTTL:     5 * time.Second,
		readyTimeout: 5 * time.Second,
		rolesTTL:     30 * time.Second,
		visibility:   events.DefaultVisibility(),
		minBlockWait: 10 * time.Second,
	}
	for _, apply := range options {
		apply(s)
	}
	if s.signing == nil {
		s.signing = signing.NewStore(routes.SigningTTL, routes.SigningMaxPerMember, routes.SigningAnswersMaxPerMember, routes.SigningMaxBytes)
	}
	s.routeByID = map[string]routes.ChaincodeRoute{}
	for _, rt := range table {
		if c, ok := rt.(routes.ChaincodeRoute); ok {
			s.routeByID[c.ID] = c
		}
	}
	if s.transactions == nil {
		options := []transactions.Option{transactions.WithOrg(s.mspID)}
		if s.market != nil {
			options = append(options, transactions.WithSenders(s.market))
		}
		s.transactions = transactions.New(l, transactions.NewStore(24*time.Hour), options...)
	}
	s.height = &peerHeight{ledger: l}
	for _, budget := range []*limiter{s.reads, s.writes} {
		if budget != nil {
			s.metrics.RateLimit(budget.budget, float64(budget.rate), budget.burst)
		}
	}
	doc, err := openapi.JSON(table)
	if err != nil {
		return nil, err
	}
	s.doc = doc
	if err := s.routeAll(); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.notFound.ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// unmatched answers requests no operation matches, in the error shape: 405
// with Allow when the path exists with other methods, else 404.
func (s *Server) unmatched(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) == 0 {
		writeError(w, r, newError(http.StatusNotFound, CodeNotFound, "no operation at %s; see /v1/openapi.json", r.URL.Path))
		return
	}
	allow := strings.Join(allowed, ", ")
	e := newError(http.StatusMethodNotAllowed, CodeMethodNotAllowed, "%s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, allow)
	e.header = http.Header{"Allow": {allow}}
	writeError(w, r, e)
}

// Patterns returns the ServeMux patterns of the route table's operations,
// sorted: what is actually served.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

// Document returns the OpenAPI document served at /v1/openapi.json.
func (s *Server) Document() []byte { return s.doc }

func (s *Server) routeAll() error {
	s.mux = http.NewServeMux()
	for _, rt := range s.table {
		var h http.Handler
		public := false
		switch r := rt.(type) {
		case routes.ChaincodeRoute:
			h = s.chaincode(r)
		case routes.GatewayRoute:
			h, public = r.Handler(handlers{s}), r.Public
		}
		if rt.FromLedger() {
			h = s.consistent(h)
		}
		op := rt.Op()
		switch {
		case !public:
			h = s.authenticate(rt, s.limiterOf(rt), h)
		case op.Method != http.MethodGet:
			h = limitByAddress(s.writes.byAddress(), h)
		}
		s.mux.Handle(op.Pattern(), s.observe(op.ID, h))
		s.patterns = append(s.patterns, op.Pattern())
	}
	sort.Strings(s.patterns)
	s.notFound = s.observe("notFound", http.HandlerFunc(s.unmatched))
	return nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, wire.HealthBody{Status: "ok"})
}

// metricsForAdmins serves the Prometheus metrics to the org's admins only,
// and to an API key of scope auth.ScopeMetrics, which reads nothing else
// (the credential Prometheus holds): request counts by operation, as they
// happen, tell the market's activity (credit lookups, orders, payments) to
// whoever reads them.
func (s *Server) metricsForAdmins() http.HandlerFunc {
	serve := s.metrics.Handler()
	return func(w http.ResponseWriter, r *http.Request) {
		if c := caller(r); !c.OrgAdmin && c.Scope != auth.ScopeMetrics {
			writeError(w, r, newError(http.StatusForbidden, CodeForbidden, "only an admin of %s reads this gateway's metrics", s.mspID))
			return
		}
		serve.ServeHTTP(w, r)
	}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	writeRaw(w, http.StatusOK, s.doc)
}

// readyCache reuses a readiness answer for a few seconds, so that probes do
// not load the peer.
type readyCache struct {
	mu  sync.Mutex
	at  time.Time
	err error
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	s.ready.mu.Lock()
	defer s.ready.mu.Unlock()
	if s.ready.at.IsZero() || time.Since(s.ready.at) >= s.readyTTL {
		ctx, cancel := context.WithTimeout(r.Context(), s.readyTimeout)
		s.ready.err = s.ledger.Ready(ctx)
		cancel()
		s.ready.at = time.Now()
	}
	if s.ready.err != nil {
		// Anyone may ask, so the answer says what failed in the API's terms
		// and what Fabric said (addresses, gRPC status) goes to the log.
		e := fromLedger(s.ready.err)
		logError(r, e)
		writeJSON(w, http.StatusServiceUnavailable, wire.HealthBody{Status: "unavailable",
			Error: e.message(locale.FromAcceptLanguage(r.Header.Get("Accept-Language")))})
		return
	}
	writeJSON(w, http.StatusOK, wire.HealthBody{Status: "ok"})
}

// caller returns the authenticated caller; the authenticate middleware
// guarantees there is one.
func caller(r *http.Request) *auth.Caller {
	c, ok := auth.CallerFrom(r.Context())
	if !ok {
		panic("api: handler reached without an authenticated caller")
	}
	return c
}
