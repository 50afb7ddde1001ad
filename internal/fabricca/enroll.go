package fabricca

import (
	"context"
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/url"
)

// Enrollment is what the CA answers to an enrollment: the new certificate and the CA's chain.
type Enrollment struct {
	// CertificatePEM is the issued certificate.
	CertificatePEM []byte
	// CAChainPEM is the issuing CA's certificate chain, root last.
	CAChainPEM []byte
	// CAName is the name of the CA that issued it.
	CAName string
}

// EnrollOption tunes an enrollment request.
type EnrollOption func(*signRequest)

// WithProfile asks for a signing profile of the CA, for example "tls" for a TLS certificate.
func WithProfile(profile string) EnrollOption {
	return func(r *signRequest) { r.Profile = profile }
}

// WithHosts names the host names and addresses the certificate is for (its subject alternative names; none keeps
// those of the CSR).
func WithHosts(hosts ...string) EnrollOption {
	return func(r *signRequest) { r.Hosts = hosts }
}

// signRequest is the body of /enroll and /reenroll (cfssl's sign request with Fabric CA's additions).
type signRequest struct {
	Hosts    []string `json:"hosts,omitempty"`
	Request  string   `json:"certificate_request"`
	Profile  string   `json:"profile,omitempty"`
	CAName   string   `json:"caname,omitempty"`
	AttrReqs []struct {
		Name     string `json:"name"`
		Optional bool   `json:"optional"`
	} `json:"attr_reqs,omitempty"`
}

// enrollmentResult is the result of /enroll and /reenroll.
type enrollmentResult struct {
	Cert       string
	ServerInfo caInfoResult
}

// CertificateRequest is a PEM certificate signing request for enrollment ID id, signed by key: the CA issues the
// certificate to the CSR's public key and requires its CN to be the enrollment ID. The other subject fields are
// kept as given (the CA sets the OUs); hosts become subject alternative names.
func CertificateRequest(key crypto.Signer, id string, subject pkix.Name, hosts ...string) ([]byte, error) {
	subject.CommonName = id
	tmpl := &x509.CertificateRequest{Subject: subject}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificateRequest(nil, tmpl, key)
	if err != nil {
		return nil, fmt.Errorf("certificate request: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), nil
}

// Enroll exchanges an enrollment secret for a certificate of the CSR's key (a PEM CERTIFICATE REQUEST whose CN is
// id). The key never leaves the caller. The certificate carries the attributes that the registration marked for
// enrollment certificates.
func (c *Client) Enroll(ctx context.Context, id, secret string, csrPEM []byte, options ...EnrollOption) (*Enrollment, error) {
	basic := func(req *http.Request, _ []byte) error {
		req.SetBasicAuth(id, secret)
		return nil
	}
	return c.sign(ctx, "enroll", csrPEM, options, basic)
}

// Reenroll issues a new certificate for the identity of the one presented (a key rotation before it expires):
// the CA checks that id's certificate is its own, unexpired and unrevoked, and issues to the CSR's key with the
// same enrollment ID and attributes.
func (c *Client) Reenroll(ctx context.Context, id *Identity, csrPEM []byte, options ...EnrollOption) (*Enrollment, error) {
	return c.sign(ctx, "reenroll", csrPEM, options, id.authorize)
}

func (c *Client) sign(ctx context.Context, endpoint string, csrPEM []byte, options []EnrollOption, auth authorizer) (*Enrollment, error) {
	if block, _ := pem.Decode(csrPEM); block == nil || block.Type != "CERTIFICATE REQUEST" {
		return nil, fmt.Errorf("fabric CA %s: the CSR must be a PEM CERTIFICATE REQUEST", endpoint)
	}
	req := &signRequest{Request: string(csrPEM), CAName: c.caName}
	for _, apply := range options {
		apply(req)
	}
	var res enrollmentResult
	if err := c.call(ctx, http.MethodPost, endpoint, nil, req, &res, auth); err != nil {
		return nil, err
	}
	cert, err := base64.StdEncoding.DecodeString(res.Cert)
	if err != nil {
		return nil, fmt.Errorf("fabric CA %s: the certificate is not base64: %w", endpoint, err)
	}
	if _, err := ParseCertificate(cert); err != nil {
		return nil, fmt.Errorf("fabric CA %s: %w", endpoint, err)
	}
	info, err := res.ServerInfo.decode()
	if err != nil {
		return nil, err
	}
	return &Enrollment{CertificatePEM: cert, CAChainPEM: info.CAChainPEM, CAName: info.CAName}, nil
}

// CAInfo describes a CA.
type CAInfo struct {
	// CAName is the CA's name.
	CAName string
	// CAChainPEM is its certificate chain, root last.
	CAChainPEM []byte
	// Version is the server's version.
	Version string
}

type caInfoResult struct {
	CAName  string
	CAChain string
	Version string
}

func (r caInfoResult) decode() (*CAInfo, error) {
	chain, err := base64.StdEncoding.DecodeString(r.CAChain)
	if err != nil {
		return nil, fmt.Errorf("fabric CA: the CA chain is not base64: %w", err)
	}
	return &CAInfo{CAName: r.CAName, CAChainPEM: chain, Version: r.Version}, nil
}

// Info returns the CA's name, certificate chain and version (no authentication).
func (c *Client) Info(ctx context.Context) (*CAInfo, error) {
	var q url.Values
	if c.caName != "" {
		q = url.Values{"ca": {c.caName}}
	}
	var res caInfoResult
	if err := c.call(ctx, http.MethodGet, "cainfo", q, nil, &res, nil); err != nil {
		return nil, err
	}
	return res.decode()
}
