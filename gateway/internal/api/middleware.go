package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// requestInfo is what the middleware learns about a request while handlers
// run, for the access log and the metrics.
type requestInfo struct {
	id         string // the gateway's own, never the caller's: one log line per ID
	clientID   string // the caller's X-Request-ID, when it is one (clientRequestID)
	route      string
	member     string
	txID       string
	errCode    string
	errMessage string
	errDetail  string // what Fabric said, for the log only
	replayed   bool
}

type infoKey struct{}

func infoFrom(ctx context.Context) *requestInfo {
	i, _ := ctx.Value(infoKey{}).(*requestInfo)
	return i
}

// setTransaction records the transaction a request created, for the log.
func setTransaction(ctx context.Context, txID string) {
	if i := infoFrom(ctx); i != nil && txID != "" {
		i.txID = txID
	}
}

// statusWriter records the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets Server-Sent Events through.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe is the outermost middleware: it recovers panics, logs each request
// as one JSON line (with the transaction ID when there is one) and records
// the metrics.
func (s *Server) observe(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{id: newRequestID(), clientID: clientRequestID(r), route: route}
		sw := &statusWriter{ResponseWriter: w}
		sw.Header().Set("X-Request-ID", info.id)
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.LogAttrs(r.Context(), slog.LevelError, "panic serving request",
					append(info.appendIDs(nil), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))...)
				if !sw.wrote {
					writeError(sw, r, newError(http.StatusInternalServerError, CodeInternal, "internal error"))
				}
			}
			d := time.Since(start)
			s.metrics.HTTPRequest(route, r.Method, sw.status, d)
			if info.errCode != "" {
				s.metrics.HTTPError(route, info.errCode)
			}
			// One allocation for the line's attributes, whichever of them it has.
			attrs := append(info.appendIDs(make([]slog.Attr, 0, 14)),
				slog.String("route", route),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Float64("duration_ms", float64(d.Microseconds())/1000),
			)
			if info.member != "" {
				attrs = append(attrs, slog.String("member", info.member))
			}
			if info.txID != "" {
				attrs = append(attrs, slog.String("transaction_id", info.txID))
			}
			if info.replayed {
				attrs = append(attrs, slog.Bool("idempotent_replay", true))
			}
			level := slog.LevelInfo
			if info.errCode != "" {
				attrs = append(attrs, slog.String("error_code", info.errCode), slog.String("error", info.errMessage))
				if info.errDetail != "" {
					attrs = append(attrs, slog.String("error_detail", info.errDetail))
				}
				if sw.status >= 500 {
					level = slog.LevelWarn
				}
			}
			s.log.LogAttrs(r.Context(), level, "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// newRequestID makes the gateway's own ID of a request, the answer's X-Request-ID and its log lines' request_id. A
// caller never chooses it: a caller's ID in request_id would let it give its log line another request's ID.
func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// clientRequestID is the caller's X-Request-ID when it is 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-' (it goes to
// the log beside the gateway's own ID, as client_request_id, nothing else that could pass for another field); "" when
// there is none or it is anything else.
func clientRequestID(r *http.Request) string {
	id := r.Header.Get("X-Request-ID")
	if id == "" || len(id) > 64 {
		return ""
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return ""
		}
	}
	return id
}

// appendIDs appends the request's IDs for a log line to attrs: the gateway's own, and the caller's beside it when it
// sent one.
func (i *requestInfo) appendIDs(attrs []slog.Attr) []slog.Attr {
	attrs = append(attrs, slog.String("request_id", i.id))
	if i.clientID != "" {
		attrs = append(attrs, slog.String("client_request_id", i.clientID))
	}
	return attrs
}

// authenticate marks the answer not to be stored, refuses a browser's
// request from a page of another origin that may change the ledger (403),
// refuses requests without valid credentials (401) or from
// members of other orgs (403), keeps members who sign themselves to the
// routes they may use and refuses them any request from a page of another
// origin (403), then takes a token of the caller's budget (429 when there
// is none).
func (s *Server) authenticate(rt routes.Route, budget *limiter, next http.Handler) http.Handler {
	changes := changesLedger(rt)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// An answer is for its member alone (its credit lookups, its trades'
		// terms): no cache keeps it, the browser's on disk included.
		w.Header().Set("Cache-Control", "no-store")
		if changes && fromAnotherOrigin(r) {
			writeError(w, r, newError(http.StatusForbidden, CodeForbidden,
				"a page of another site may not make a browser change the ledger as its member: call from this gateway's own pages or from a program"))
			return
		}
		caller, err := s.auth.Authenticate(r)
		if err != nil {
			status, code := http.StatusUnauthorized, CodeUnauthenticated
			if errors.Is(err, auth.ErrForeignOrg) {
				status, code = http.StatusForbidden, CodeForbidden
			}
			e := newError(status, code, "%v", err)
			if status == http.StatusUnauthorized {
				e.header = http.Header{"Www-Authenticate": {`Bearer realm="deltaledger"`}}
			}
			writeError(w, r, e)
			return
		}
		if info := infoFrom(r.Context()); info != nil {
			info.member = caller.Name()
		}
		// A browser presents the member's client certificate on whatever request a page of another site makes it
		// send, reads included, and even a read spends what is the member's: a recomputation takes from its write
		// budget, an event stream one of its places, a call of a member who signs itself one of its few waiting for
		// a signature. Refused before any of them, a page of another site cannot lock the member's programs out.
		if caller.Method == auth.ClientCertificate && fromAnotherOrigin(r) {
			writeError(w, r, newError(http.StatusForbidden, CodeForbidden,
				"a page of another site may not make a browser act as the member its client certificate names: call from this gateway's own pages or from a program"))
			return
		}
		if caller.Scope != "" && routeScope(rt) != caller.Scope {
			writeError(w, r, newError(http.StatusForbidden, CodeForbidden,
				"an API key of scope %q may not call %s %s: it reads only what its scope names", caller.Scope, rt.Op().Method, rt.Op().Path))
			return
		}
		if caller.SignsItself() && !selfSignedRoute(rt) {
			writeError(w, r, refuseSelfSigned(caller, rt))
			return
		}
		if !spend(w, r, budget, caller.Share()) {
			return
		}
		next.ServeHTTP(w, r.WithContext(auth.WithCaller(r.Context(), caller)))
	})
}

// routeScope is the API key scope a route admits besides keys of no scope
// (routes.GatewayRoute.Scope); "" for none.
func routeScope(rt routes.Route) string {
	if r, ok := rt.(routes.GatewayRoute); ok {
		return r.Scope
	}
	return ""
}

// changesLedger reports whether a route's requests may change the ledger:
// every method but GET, and the GETs that commit a transaction for the
// caller (the credit lookup, which leaves a trace).
func changesLedger(rt routes.Route) bool {
	if rt.Op().Method != http.MethodGet {
		return true
	}
	switch r := rt.(type) {
	case routes.ChaincodeRoute:
		return r.Submit
	case routes.GatewayRoute:
		return r.Commits
	}
	return true
}

// sameOrigin says, from what the browser tells (Sec-Fetch-Site, else
// Origin against Host), whether a request comes from a page of another
// origin; a request of a program, which tells neither, does not.
var sameOrigin = http.NewCrossOriginProtection()

// fromAnotherOrigin reports whether a browser sent r for a page of another
// origin. A client certificate (an enterprise's USB key) is presented on
// whatever request the browser sends, whichever site made it send it, and a
// POST without a body, or with one of no media type, needs no preflight:
// such a request must not act as the member. An API key is no such risk (no
// page of another origin can set the Authorization header without the CORS
// the gateway never grants), but a browser's request that may change the
// ledger is refused whatever its credentials, which keeps that rule one rule;
// any other is refused once it authenticates by client certificate.
func fromAnotherOrigin(r *http.Request) bool {
	probe := *r
	probe.Method = http.MethodPost // the check passes every GET; the caller knows which ones change the ledger
	return sameOrigin.Check(&probe) != nil
}

// limitByAddress takes a token of budget for the client's network before a
// public operation that does work for anyone (enrolling, which calls the
// CA): without credentials there is no member to count.
func limitByAddress(budget *limiter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if spend(w, r, budget, clientNetwork(r.RemoteAddr)) {
			next.ServeHTTP(w, r)
		}
	})
}

// ipv6ClientPrefix is the IPv6 prefix one client holds: a host is given a
// whole /64 (RFC 4291 interface identifiers, SLAAC), and picks any address
// in it at will.
const ipv6ClientPrefix = 64

// clientNetwork is what a budget by address counts a request's remote
// address as: an IPv4 address (also written IPv4-mapped in IPv6), or the
// /64 of an IPv6 one. Counted per IPv6 address, one host would have 2^64
// fresh budgets to send from, and the limit would bound nothing.
func clientNetwork(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	return netip.PrefixFrom(addr.WithZone(""), ipv6ClientPrefix).Masked().String()
}

// spend takes a token of who's budget, or answers 429 and reports false.
func spend(w http.ResponseWriter, r *http.Request, budget *limiter, who string) bool {
	wait, ok := budget.allow(who)
	if ok {
		return true
	}
	e := newError(http.StatusTooManyRequests, CodeRateLimited, "%s rate limit of %s exceeded (%v per second); retry in %s",
		budget.name(), who, float64(budget.rate), wait.Round(time.Millisecond))
	e.header = retryAfter(wait)
	writeError(w, r, e)
	return false
}

// retryAfter is the header that tells a refused client to come back after wait, in whole seconds rounded up.
func retryAfter(wait time.Duration) http.Header {
	return http.Header{"Retry-After": {strconv.Itoa(int(math.Ceil(wait.Seconds())))}}
}

// Budgets of a member.
const (
	budgetRead  = "read"
	budgetWrite = "write"
)

// limiterOf returns the budget a route's requests take from: writes for
// submits, for the routes that commit a transaction for the caller (the
// credit lookup's trace) and for those that recompute from the whole index
// (the computed indices), reads for the rest. Nil (no limit) when the budget is not limited.
func (s *Server) limiterOf(rt routes.Route) *limiter {
	switch r := rt.(type) {
	case routes.ChaincodeRoute:
		if r.Submit {
			return s.writes
		}
	case routes.GatewayRoute:
		if r.Commits || r.Recomputes {
			return s.writes
		}
	}
	return s.reads
}

// limiter is one budget: a token bucket per member (or per client address).
type limiter struct {
	budget string
	rate   rate.Limit
	burst  int
	// most bounds the buckets: the keys are chosen by anyone (client
	// addresses) or by whoever holds an org CA's registrar power (each key
	// it certifies is a member of its own), so neither may grow the
	// gateway's memory without bound.
	most int
	mu   sync.Mutex
	m    map[string]*rate.Limiter
}

// maxBuckets is how many members, or client addresses, a budget keeps
// buckets for at once. Only a bucket that is not full again counts: a
// member idle for a burst's worth of time is forgotten at need and comes
// back to a full bucket, as it would have had anyway.
const maxBuckets = 10000

// byAddress returns a budget of the same rate and burst, counted per client
// address, or nil when l is nil (no limit).
func (l *limiter) byAddress() *limiter {
	if l == nil {
		return nil
	}
	return &limiter{budget: l.budget, rate: l.rate, burst: l.burst, most: maxBuckets, m: map[string]*rate.Limiter{}}
}

func newLimiter(budget string, perSecond float64, burst int) *limiter {
	if perSecond <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	return &limiter{budget: budget, rate: rate.Limit(perSecond), burst: burst, most: maxBuckets, m: map[string]*rate.Limiter{}}
}

// name names the budget in the reader's language.
func (l *limiter) name() *ledgererr.Message {
	if l.budget == budgetRead {
		return ledgererr.Messagef("read")
	}
	return ledgererr.Messagef("write")
}

// allow takes a token for member, or says how long until one is free.
func (l *limiter) allow(member string) (time.Duration, bool) {
	if l == nil {
		return 0, true
	}
	now := time.Now()
	l.mu.Lock()
	lim, ok := l.m[member]
	if !ok {
		if len(l.m) >= l.most {
			// Forget the buckets that are full again (their keys are as
			// new: a fresh bucket is full), and refuse a new key while none
			// is, so a flood of keys never takes a live key's budget.
			for k, b := range l.m {
				if b.TokensAt(now) >= float64(l.burst) {
					delete(l.m, k)
				}
			}
			if len(l.m) >= l.most {
				l.mu.Unlock()
				return time.Second, false
			}
		}
		lim = rate.NewLimiter(l.rate, l.burst)
		l.m[member] = lim
	}
	l.mu.Unlock()
	res := lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Second, false
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		if d < time.Second {
			d = time.Second
		}
		return d, false
	}
	return 0, true
}

// printable reports whether s is printable ASCII without spaces (an Idempotency-Key's characters).
func printable(s string) bool {
	for _, c := range s {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}
