package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/deltaledger/deltaledger/internal/loopback"
)

// Option configures a Client; pass options to New.
type Option func(*settings) error

// settings collects the options before New builds the client.
type settings struct {
	apiKey     string
	cert       *tls.Certificate
	rootCAs    *x509.CertPool
	caFiles    []string
	httpClient *http.Client
	timeout    time.Duration
	userAgent  string
	language   string
	maxRetries int
	minBackoff time.Duration
	maxBackoff time.Duration
	session    *Session
	signer     *memberSigner
	deployment deployment
}

// Defaults of the options.
const (
	// DefaultTimeout bounds one HTTP request (one attempt) unless WithTimeout
	// says otherwise. A submit answers once its transaction is committed,
	// which the gateway bounds itself (about a minute and a half at most with
	// its default timeouts).
	DefaultTimeout = 2 * time.Minute
	// DefaultMaxRetries is how many times a retryable request is repeated
	// after its first attempt.
	DefaultMaxRetries = 4
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between retries
	// when the gateway names no Retry-After.
	DefaultMinBackoff = 250 * time.Millisecond
	DefaultMaxBackoff = 8 * time.Second
	// MaxRetryAfter is the longest Retry-After the client waits for; a longer
	// one is answered to the caller as the error.
	MaxRetryAfter = time.Minute
	// MaxIdleConnections is how many idle connections to its gateway the
	// client keeps for reuse, so that as many requests in flight at once each
	// find an open connection instead of paying a new TLS handshake (Go's
	// default keeps two per host).
	MaxIdleConnections = 100
)

// WithAPIKey authenticates every request with a gateway API key
// ("dlk_<id>_<secret>"), sent as "Authorization: Bearer <key>".
func WithAPIKey(key string) Option {
	return refusing(key == "", "WithAPIKey: empty key", func(s *settings) { s.apiKey = key })
}

// WithTLSClientCertificate authenticates with a member's TLS client
// certificate issued by its org's CA (for example the local network's
// users/User2@.../tls/client.crt and client.key, loaded with
// tls.LoadX509KeyPair). The gateway maps it to the wallet member with the
// same subject and issuer.
func WithTLSClientCertificate(cert tls.Certificate) Option {
	return refusing(len(cert.Certificate) == 0, "WithTLSClientCertificate: the certificate is empty", func(s *settings) { s.cert = &cert })
}

// WithRootCAs verifies the gateway's TLS certificate against pool instead of
// the system's roots.
func WithRootCAs(pool *x509.CertPool) Option {
	return refusing(pool == nil, "WithRootCAs: nil pool", func(s *settings) { s.rootCAs = pool })
}

// WithCAFile verifies the gateway's TLS certificate against the PEM
// certificates in file (on the local network, the org's TLS CA:
// <ORG>_CA of demo-keys.env). Combined with WithRootCAs, the file's
// certificates are added to that pool.
func WithCAFile(file string) Option {
	return refusing(file == "", "WithCAFile: empty file name", func(s *settings) { s.caFiles = append(s.caFiles, file) })
}

// WithHTTPClient sends requests with hc instead of a client of the package's
// own. Its Timeout, if any, also bounds event streams: prefer WithTimeout.
// TLS options are applied to a copy of its transport, which must then be an
// *http.Transport (or nil). Its CheckRedirect is replaced: the client follows
// no redirect (see refuseRedirect). Over plain http, a copy of its
// *http.Transport (or of http.DefaultTransport, when nil) is used that
// dials this machine only.
func WithHTTPClient(hc *http.Client) Option {
	return refusing(hc == nil, "WithHTTPClient: nil client", func(s *settings) { s.httpClient = hc })
}

// WithTimeout bounds each HTTP request (each attempt of a retried one) by d,
// DefaultTimeout by default; 0 means no bound beyond the context's. An event
// stream is bounded only until the gateway answers its headers.
func WithTimeout(d time.Duration) Option {
	return refusing(d < 0, "WithTimeout: negative duration", func(s *settings) { s.timeout = d })
}

// WithUserAgent sets the User-Agent header, for example "bank-portal/2.1";
// the client's own name and version are appended.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		s.userAgent = ua
		return nil
	}
}

// WithAcceptLanguage sets the Accept-Language header, for example "zh-CN"
// or "zh-CN,zh;q=0.9,en;q=0.8": the gateway writes the messages of its
// errors (Error.Message) in Chinese or English, English by default. Codes
// and fields do not change with the language.
func WithAcceptLanguage(languages string) Option {
	return func(s *settings) error {
		s.language = languages
		return nil
	}
}

// WithRetries sets how many times a retryable request (see the package
// documentation) is repeated after its first attempt, DefaultMaxRetries by
// default; 0 disables retries. min and max bound the exponential backoff
// used when the gateway names no Retry-After; zero keeps the defaults.
func WithRetries(maxRetries int, min, max time.Duration) Option {
	return func(s *settings) error {
		if maxRetries < 0 || min < 0 || max < 0 || (min > 0 && max > 0 && min > max) {
			return fmt.Errorf("WithRetries: invalid policy %d, %s, %s", maxRetries, min, max)
		}
		s.maxRetries = maxRetries
		if min > 0 {
			s.minBackoff = min
		}
		if max > 0 {
			s.maxBackoff = max
		}
		return nil
	}
}

// refusing is an option that New answers with the error problem when bad
// (a value it cannot use), and that otherwise applies set.
func refusing(bad bool, problem string, set func(*settings)) Option {
	return func(s *settings) error {
		if bad {
			return errors.New(problem)
		}
		set(s)
		return nil
	}
}

// refuseRedirect is the CheckRedirect of the client's HTTP client: a
// redirect is an error, not followed. Go would send the Authorization header
// (the API key) again to the same host on another port or over plain http,
// and after a 307 or 308 the body too (an enrollment's one-time secret) to
// any host; the gateway's API never redirects.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	return fmt.Errorf("the gateway redirected to %s%s, which the client does not follow", req.URL.Host, req.URL.EscapedPath())
}

// buildHTTPClient builds the HTTP client the options describe; plainHTTP when the gateway is reached over plain
// http, whose connections must stay on this machine (loopback.Transport).
func (s *settings) buildHTTPClient(plainHTTP bool) (*http.Client, error) {
	needTLS := s.cert != nil || s.rootCAs != nil || len(s.caFiles) > 0
	var hc http.Client
	if s.httpClient != nil {
		hc = *s.httpClient
	}
	hc.CheckRedirect = refuseRedirect
	if s.httpClient != nil && !needTLS {
		if plainHTTP {
			hc.Transport = loopback.Transport(hc.Transport)
		}
		return &hc, nil
	}
	var transport *http.Transport
	switch t := hc.Transport.(type) {
	case nil:
		transport = http.DefaultTransport.(*http.Transport).Clone()
		transport.MaxIdleConns, transport.MaxIdleConnsPerHost = MaxIdleConnections, MaxIdleConnections
	case *http.Transport:
		transport = t.Clone()
	default:
		return nil, fmt.Errorf("TLS options need the HTTP client's transport to be an *http.Transport, not %T", t)
	}
	if plainHTTP {
		transport.DialContext = loopback.Dial(transport.DialContext)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if transport.TLSClientConfig != nil {
		cfg = transport.TLSClientConfig.Clone()
	}
	pool := s.rootCAs
	if len(s.caFiles) > 0 {
		if pool == nil {
			pool = x509.NewCertPool()
		} else {
			pool = pool.Clone()
		}
		for _, f := range s.caFiles {
			pem, err := os.ReadFile(f)
			if err != nil {
				return nil, fmt.Errorf("reading the CA file: %w", err)
			}
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("the CA file %s holds no PEM certificate", f)
			}
		}
	}
	if pool != nil {
		cfg.RootCAs = pool
	}
	if s.cert != nil {
		cert := *s.cert
		// Always present the certificate when the gateway asks for one,
		// whatever CA names it lists: the gateway itself says who it is.
		cfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &cert, nil }
	}
	transport.TLSClientConfig = cfg
	hc.Transport = transport
	return &hc, nil
}
