package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/ctxsleep"
	"github.com/deltaledger/deltaledger/internal/loopback"
	"github.com/deltaledger/deltaledger/internal/serverurl"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Version is the SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// maxAnswer bounds the size of an answer the client reads (lists of up to
// 100 records, an OpenAPI document).
const maxAnswer = 32 << 20

// Client is a connection to one region's gateway as one member. It is safe
// for concurrent use; create one per member and gateway and reuse it.
type Client struct {
	base       *url.URL
	http       *http.Client
	apiKey     string
	userAgent  string
	language   string
	timeout    time.Duration
	maxRetries int
	minBackoff time.Duration
	maxBackoff time.Duration
	session    *Session
	signer     *memberSigner

	// sleep waits between retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a client of the gateway at baseURL, for example "https://127.0.0.1:27180" (a path prefix is kept, for
// a gateway behind a reverse proxy; "http" is accepted for a loopback host only, and a connection over it that
// reaches another machine, "localhost" resolved elsewhere or a proxy, is closed before anything is sent; a user or
// password in it is refused, and no error repeats it). Without WithAPIKey or WithTLSClientCertificate only the public operations
// (Health, Ready, OpenAPI) succeed.
func New(baseURL string, opts ...Option) (*Client, error) {
	// The client authenticates with WithAPIKey or a certificate and sends no user information: a password in the
	// URL would be dropped silently, and repeated by every error below that names the URL.
	u, err := serverurl.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return nil, fmt.Errorf("deltaledger: gateway URL: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("deltaledger: gateway URL %q: want https://host:port", baseURL)
	}
	// Plain HTTP carries the API key, the enrollment secrets and every answer
	// in clear: only a gateway on this machine (a test's) may be reached so.
	if u.Scheme == "http" && !loopback.Host(u.Hostname()) {
		return nil, fmt.Errorf("deltaledger: gateway URL %q: plain http only for a gateway on this machine (localhost, 127.0.0.1, ::1); want https://host:port", baseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("deltaledger: gateway URL %q: no query or fragment allowed", baseURL)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	s := &settings{
		timeout:    DefaultTimeout,
		maxRetries: DefaultMaxRetries,
		minBackoff: DefaultMinBackoff,
		maxBackoff: DefaultMaxBackoff,
		deployment: deployment{channel: model.DefaultChannel, chaincode: model.DefaultChaincode},
	}
	for _, opt := range opts {
		if err := opt(s); err != nil {
			return nil, fmt.Errorf("deltaledger: %w", err)
		}
	}
	if s.signer != nil {
		s.signer.deployment = s.deployment
	}
	hc, err := s.buildHTTPClient(u.Scheme == "http")
	if err != nil {
		return nil, fmt.Errorf("deltaledger: %w", err)
	}
	ua := "deltaledger-go/" + Version
	if s.userAgent != "" {
		ua = s.userAgent + " " + ua
	}
	if s.session == nil {
		s.session = NewSession()
	}
	return &Client{
		base:       u,
		session:    s.session,
		http:       hc,
		apiKey:     s.apiKey,
		userAgent:  ua,
		language:   s.language,
		timeout:    s.timeout,
		maxRetries: s.maxRetries,
		minBackoff: s.minBackoff,
		maxBackoff: s.maxBackoff,
		signer:     s.signer,
		sleep:      ctxsleep.Sleep,
	}, nil
}

// Session returns the client's session: the highest block it has seen.
func (c *Client) Session() *Session { return c.session }

// InSession returns a client like c (the same gateway, member, settings and
// connections) that carries s instead of c's session: one conversation of
// several members, such as a trade's buyer and seller through their own
// regions, shares a session of its own without sharing the clients' (a
// program that runs many conversations at once on long-lived clients).
func (c *Client) InSession(s *Session) *Client {
	d := *c
	d.session = s
	return &d
}

// BaseURL returns the gateway's URL the client was made with.
func (c *Client) BaseURL() string { return c.base.String() }

// Participants returns the operations on participants (members and roles).
func (c *Client) Participants() *ParticipantService { return &ParticipantService{c} }

// Members onboards enterprises into the gateway's org and enrolls them.
func (c *Client) Members() *MemberService { return &MemberService{c} }

// Assets returns the operations on data assets: registration, objections,
// content checks, history and lineage.
func (c *Client) Assets() *AssetService { return &AssetService{c} }

// Rights returns the operations on right certificates.
func (c *Client) Rights() *RightService { return &RightService{c} }

// Listings returns the operations on listings: offering rights at a price
// and browsing the market.
func (c *Client) Listings() *ListingService { return &ListingService{c} }

// Trades returns the operations on trades: ordering, negotiating, paying,
// delivering and confirming.
func (c *Client) Trades() *TradeService { return &TradeService{c} }

// Credit returns the operations on credit records: publishing,
// authorisations, traced lookups and objections.
func (c *Client) Credit() *CreditService { return &CreditService{c} }

// Transactions returns the commit status of transactions, for submits made
// with NoWait.
func (c *Client) Transactions() *TransactionService { return &TransactionService{c} }

// request is one API call.
type request struct {
	method string
	path   string // escaped, from /v1 on
	query  url.Values
	body   any // encoded as JSON; nil for no body
	header http.Header
	// idempotent says that repeating the request is safe: it may be
	// retried on 429 and 503.
	idempotent bool
	// lowered says that a refusal of this request lowered the session's
	// block already: one request lowers it once, so that the retries of a
	// read a gateway refuses do not discard, one by one, the blocks of
	// every other gateway (see Session).
	lowered bool
}

// answer is the gateway's answer to a call.
type answer struct {
	status int
	header http.Header
	body   []byte
	// lowered says that the gateway refused the block the session asked for
	// (never having run the request) and the session no longer asks for it:
	// the request is worth sending again at once (see Session).
	lowered bool
}

// decoded sends r and decodes its answer into a new T: nil with an error.
// Every call that answers one record decodes it here, retried or not.
func decoded[T any](ctx context.Context, c *Client, r *request) (*T, error) {
	v, _, err := send[T](ctx, c, r)
	return v, err
}

// send sends r and decodes its answer into a new T, and returns the answer
// too, for a caller that reads its status or header as well (a submit). The
// error of a request with an Idempotency-Key carries the key (withKey).
func send[T any](ctx context.Context, c *Client, r *request) (*T, *answer, error) {
	a, err := c.do(ctx, r)
	if err != nil {
		return nil, nil, withKey(err, r)
	}
	var v T
	if err := decode(a, &v); err != nil {
		return nil, nil, withKey(err, r)
	}
	return &v, a, nil
}

// get reads a JSON resource into out.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	a, err := c.do(ctx, &request{method: http.MethodGet, path: path, query: query, idempotent: true})
	if err != nil {
		return err
	}
	return decode(a, out)
}

// decode reads an answer's JSON body into out.
func decode(a *answer, out any) error {
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return failuref("the gateway's answer (HTTP %d) cannot be read: %v", a.status, jsonProblem(err))
	}
	return nil
}

// do sends a request, retrying it when that is safe, and returns the
// gateway's success answer or its error as *Error.
func (c *Client) do(ctx context.Context, req *request) (*answer, error) {
	var body []byte
	if req.body != nil {
		var err error
		if body, err = json.Marshal(req.body); err != nil {
			return nil, fmt.Errorf("deltaledger: encoding the request: %w", err)
		}
	}
	sentAgain := false
	for attempt := 0; ; attempt++ {
		a, err := c.once(ctx, req, body)
		if err != nil {
			return nil, err
		}
		if a.status < 400 {
			if c.signer != nil {
				return c.signSteps(ctx, a, req, body)
			}
			return a, nil
		}
		if a.lowered && !sentAgain {
			// Refused before it ran, whatever its method: once, since the
			// session lowers a block to a gateway's own only once.
			sentAgain = true
			continue
		}
		apiErr := errorFromAnswer(a)
		if !req.idempotent || attempt >= c.maxRetries || !retryableStatus(a.status) {
			return nil, apiErr
		}
		wait := c.backoff(attempt)
		if apiErr.RetryAfter > 0 {
			wait = apiErr.RetryAfter
		}
		if wait > MaxRetryAfter {
			return nil, apiErr
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return nil, apiErr
		}
		if err := c.pauseBefore(ctx, apiErr, wait); err != nil {
			return nil, err
		}
	}
}

// pauseBefore waits d before asking again what the gateway answered apiErr
// to; when ctx ends first, its error names both.
func (c *Client) pauseBefore(ctx context.Context, apiErr *Error, d time.Duration) error {
	if err := c.sleep(ctx, d); err != nil {
		return ledgererr.Messagef("%v (stopped retrying: %v)", apiErr, err)
	}
	return nil
}

// retryableStatus reports the statuses a safe request is repeated after.
func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// backoff is the wait before retry attempt+1: exponential from minBackoff,
// capped at maxBackoff, with jitter (between half and all of it).
func (c *Client) backoff(attempt int) time.Duration {
	d := c.minBackoff << min(attempt, 20)
	if d <= 0 || d > c.maxBackoff {
		d = c.maxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

// url returns the absolute URL of an API path.
func (c *Client) url(path string, query url.Values) string {
	s := c.base.Scheme + "://" + c.base.Host + c.base.EscapedPath() + path
	if len(query) > 0 {
		s += "?" + query.Encode()
	}
	return s
}

// newHTTPRequest builds the HTTP request of one attempt.
func (c *Client) newHTTPRequest(ctx context.Context, req *request, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, c.url(req.path, req.query), rd)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: %w", err)
	}
	for k, vs := range req.header {
		for _, v := range vs {
			hr.Header.Add(k, v)
		}
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if hr.Header.Get("Accept") == "" {
		hr.Header.Set("Accept", "application/json")
	}
	hr.Header.Set("User-Agent", c.userAgent)
	if c.language != "" {
		hr.Header.Set("Accept-Language", c.language)
	}
	if c.apiKey != "" {
		hr.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	c.session.require(hr.Header)
	return hr, nil
}

// once makes one attempt: it sends the request and reads the whole answer.
func (c *Client) once(ctx context.Context, req *request, body []byte) (*answer, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	hr, err := c.newHTTPRequest(ctx, req, body)
	if err != nil {
		return nil, err
	}
	asked, askedErr := strconv.ParseUint(hr.Header.Get(model.MinBlockHeader), 10, 64)
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: %s %s: %w", req.method, req.path, err)
	}
	defer resp.Body.Close()
	// Only a success names a block seen: a refusal's X-Ledger-Block may only
	// lower a block another gateway named (see Session).
	from := c.base.String()
	lowered := false
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		// A write's answer names the block its transaction committed in.
		c.session.observeAnswer(from, req.method != http.MethodGet, resp.Header)
	case resp.StatusCode == http.StatusServiceUnavailable && askedErr == nil && !req.lowered:
		lowered = c.session.refused(from, asked, resp.Header)
		req.lowered = lowered
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("deltaledger: %s %s: reading the answer: %w", req.method, req.path, err)
	}
	if len(b) > maxAnswer {
		return nil, failuref("%s %s: the gateway's answer exceeds %d bytes", req.method, req.path, maxAnswer)
	}
	return &answer{status: resp.StatusCode, header: resp.Header, body: b, lowered: lowered}, nil
}

// Health asks whether the gateway process serves (GET /healthz); it needs no
// credentials.
func (c *Client) Health(ctx context.Context) error {
	return c.get(ctx, "/healthz", nil, nil)
}

// Ready asks whether the gateway's peer answers for the channel and the
// chaincode (GET /readyz); it needs no credentials. A gateway that is not
// ready answers a *Error with Status 503 whose Message says why.
func (c *Client) Ready(ctx context.Context) error {
	a, err := c.once(ctx, &request{method: http.MethodGet, path: "/readyz"}, nil)
	if err != nil {
		return err
	}
	if a.status == http.StatusOK {
		return nil
	}
	var h struct {
		Status string `json:"status"`
		Error  string `json:"error"`
	}
	if json.Unmarshal(a.body, &h) == nil && h.Status != "" {
		return &Error{Status: a.status, Code: "UNAVAILABLE", Message: h.Error}
	}
	return errorFromAnswer(a)
}

// OpenAPI returns the gateway's OpenAPI 3.1 document (GET /v1/openapi.json),
// which describes every operation; it needs no credentials.
func (c *Client) OpenAPI(ctx context.Context) ([]byte, error) {
	a, err := c.do(ctx, &request{method: http.MethodGet, path: "/v1/openapi.json", idempotent: true})
	if err != nil {
		return nil, err
	}
	return a.body, nil
}

// pathf builds an API path from a format whose %s verbs are replaced by the
// path-escaped segments; an empty segment is an error, since it would name
// another operation.
func pathf(pattern string, segments ...segment) (string, error) {
	args := make([]any, len(segments))
	for i, s := range segments {
		if s.value == "" {
			return "", errRequired(s.name)
		}
		args[i] = url.PathEscape(s.value)
	}
	return fmt.Sprintf(pattern, args...), nil
}

// segment is one variable part of a path, named for the error when empty.
type segment struct{ name, value string }

func seg(name, value string) segment { return segment{name, value} }

// errRequired reports a missing argument.
func errRequired(name string) error {
	return failuref("%s is required", name)
}
