// Package fabricca is a client of the Hyperledger Fabric CA server's REST API (fabric-ca v1.5): CA information,
// enrollment and re-enrollment, registration, revocation and CRLs.
//
// It needs only the standard library. Fabric CA's own client library would bring the server's dependency tree
// (cfssl, viper, SQL drivers) into every program that enrolls, while the protocol is a handful of JSON calls over
// HTTPS, authenticated either with an enrollment secret (HTTP basic authentication, for enroll) or with a token
// signed by an enrolled identity's key (everything else).
//
//	ca, err := fabricca.New("https://127.0.0.1:27254", fabricca.WithRootCAs(pool))
//	secret, err := ca.Register(ctx, registrar, fabricca.Registration{ID: "acme", Type: "client"})
//	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
//	csr, _ := fabricca.CertificateRequest(key, "acme")
//	enrollment, err := ca.Enroll(ctx, "acme", secret, csr)
package fabricca

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/loopback"
	"github.com/deltaledger/deltaledger/internal/serverurl"
)

// Client talks to one CA of a Fabric CA server. It is safe for concurrent use.
type Client struct {
	base   *url.URL
	caName string
	http   *http.Client
}

// Option configures a Client.
type Option func(*Client) error

// WithCAName addresses the named CA of a server that hosts several (fabric-ca-server's cafiles); by default the
// server's default CA answers.
func WithCAName(name string) Option {
	return func(c *Client) error {
		c.caName = name
		return nil
	}
}

// WithRootCAs verifies the server's TLS certificate against pool instead of the system's roots.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *Client) error {
		c.http = &http.Client{
			Timeout:   c.http.Timeout,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}},
		}
		return nil
	}
}

// WithHTTPClient sends the requests with h (its transport decides TLS; its timeout bounds each call).
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error {
		if h == nil {
			return errors.New("WithHTTPClient: nil client")
		}
		c.http = h
		return nil
	}
}

// New returns a client of the CA server at serverURL ("https://host:port"; a path prefix is kept).
func New(serverURL string, options ...Option) (*Client, error) {
	// A user and password (fabric-ca-client's way to give an enrollment secret) is refused before the URL is quoted.
	u, err := serverurl.Parse(serverURL)
	if err != nil {
		return nil, fmt.Errorf("fabric CA URL: %w", err)
	}
	if u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("fabric CA URL %q: must be https://host:port", serverURL)
	}
	// Plain http carries the enrollment secret, the registrar's tokens and the secrets registrations answer in
	// clear: whoever reads them on the way enrolls in the member's place. Only a CA on this machine (a test's) may be
	// reached so, as the SDK reaches its gateway.
	if u.Scheme == "http" && !loopback.Host(u.Hostname()) {
		return nil, fmt.Errorf("fabric CA URL %q: plain http only for a CA on this machine (localhost, 127.0.0.1, ::1); want https://host:port", serverURL)
	}
	c := &Client{base: u, http: &http.Client{Timeout: 30 * time.Second}}
	for _, apply := range options {
		if err := apply(c); err != nil {
			return nil, err
		}
	}
	h := *c.http
	h.CheckRedirect = refuseRedirect
	if u.Scheme == "http" {
		h.Transport = loopback.Transport(h.Transport) // dialing this machine only
	}
	c.http = &h
	return c, nil
}

// refuseRedirect is the CheckRedirect of the client's HTTP client: a redirect is an error, not followed. Go would
// send the Authorization header (an enrollment secret in basic authentication, or a token over the request) again
// to the same host on another port or over plain http, and after a 307 or 308 the body too; a CA never redirects.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	return fmt.Errorf("the CA redirected to %s%s, which the client does not follow", req.URL.Host, req.URL.EscapedPath())
}

// CAName is the name of the CA the client addresses ("" for the server's default CA).
func (c *Client) CAName() string { return c.caName }

// Error is a refusal by the CA server.
type Error struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the Fabric CA error code (for example 20, authentication failure; 74, identity already
	// registered; 28, certificate revoked), 0 when the answer had none.
	Code int
	// Message is the server's message.
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("fabric CA: %s (code %d, HTTP %d)", e.Message, e.Code, e.StatusCode)
}

// Fabric CA error codes that callers act on.
const (
	CodeAuthenticationFailure = 20
	CodeInvalidToken          = 25
	CodeCertRevoked           = 28
	CodeAlreadyRevoked        = 66
	CodeRevokedIdentity       = 70
	CodeAuthorizationFailure  = 71
	CodeDuplicateRegistration = 74
	CodeBadCSR                = 31
	CodePasswordAttempts      = 73
	CodeCSRNotOfTheID         = 77
	CodeCSRSubjectTooLong     = 80
)

// HasCode reports whether err is a CA refusal with the given code.
func HasCode(err error, code int) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// envelope is the body of every answer of the server.
type envelope struct {
	Success bool            `json:"success"`
	Result  json.RawMessage `json:"result"`
	Errors  []struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// authorizer sets the Authorization header of a request whose body is body.
type authorizer func(req *http.Request, body []byte) error

// call sends method to endpoint (relative to the server's /api/v1/) with the JSON of in (none when nil) and
// decodes the answer's result into out (when not nil).
func (c *Client) call(ctx context.Context, method, endpoint string, query url.Values, in, out any, auth authorizer) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	u := c.base.JoinPath("api", "v1", endpoint)
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != nil {
		if err := auth(req, body); err != nil {
			return err
		}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("fabric CA %s %s: %w", method, endpoint, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("fabric CA %s %s: reading the answer: %w", method, endpoint, err)
	}
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return &Error{StatusCode: resp.StatusCode, Message: "unreadable answer: " + strings.TrimSpace(string(raw))}
	}
	if !env.Success || resp.StatusCode >= 300 {
		e := &Error{StatusCode: resp.StatusCode, Message: http.StatusText(resp.StatusCode)}
		if len(env.Errors) > 0 {
			e.Code, e.Message = env.Errors[0].Code, env.Errors[0].Message
		}
		return e
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(env.Result, out); err != nil {
		return fmt.Errorf("fabric CA %s %s: decoding the result: %w", method, endpoint, err)
	}
	return nil
}
