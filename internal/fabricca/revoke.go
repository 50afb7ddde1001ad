package fabricca

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Revocation names what to revoke: every certificate of an enrollment ID (and the ID itself, which can then no
// longer enroll), or one certificate by serial number and authority key ID.
type Revocation struct {
	// ID revokes the identity and all its certificates.
	ID string `json:"id,omitempty"`
	// Serial and AKI (lower-case hex) revoke one certificate; SerialAndAKI fills them from a certificate.
	Serial string `json:"serial,omitempty"`
	AKI    string `json:"aki,omitempty"`
	// Reason is an RFC 5280 reason name, for example "keycompromise", "affiliationchanged", "superseded",
	// "cessationofoperation", "privilegewithdrawn".
	Reason string `json:"reason,omitempty"`
	// GenCRL asks for the CA's new CRL in the answer.
	GenCRL bool `json:"gencrl,omitempty"`
	// CAName is set by the client.
	CAName string `json:"caname,omitempty"`
}

// SerialAndAKI returns the serial number and authority key ID of cert in the form the CA stores them.
func SerialAndAKI(cert *x509.Certificate) (serial, aki string) {
	return cert.SerialNumber.Text(16), strings.TrimLeft(hex.EncodeToString(cert.AuthorityKeyId), "0")
}

// RevokedCertificate is one certificate a revocation revoked.
type RevokedCertificate struct {
	Serial string
	AKI    string
}

// RevocationResult is the CA's answer to a revocation.
type RevocationResult struct {
	// Revoked lists the certificates revoked.
	Revoked []RevokedCertificate
	// CRL is the CA's PEM-encoded CRL after the revocation, when GenCRL was asked for.
	CRL []byte
}

// Revoke revokes as registrar (an identity with hf.Revoker). Revoking an identity that has no certificates
// left to revoke is refused by the CA (code 14); revoking one that was revoked already, with CodeRevokedIdentity.
func (c *Client) Revoke(ctx context.Context, registrar *Identity, r Revocation) (*RevocationResult, error) {
	if r.ID == "" && (r.Serial == "" || r.AKI == "") {
		return nil, errors.New("fabric CA revoke: name an ID, or a serial and an AKI")
	}
	r.CAName = c.caName
	var res struct {
		RevokedCerts []RevokedCertificate
		CRL          string
	}
	if err := c.call(ctx, http.MethodPost, "revoke", nil, r, &res, registrar.authorize); err != nil {
		return nil, err
	}
	out := &RevocationResult{Revoked: res.RevokedCerts}
	if res.CRL != "" {
		crl, err := base64.StdEncoding.DecodeString(res.CRL)
		if err != nil {
			return nil, fmt.Errorf("fabric CA revoke: the CRL is not base64: %w", err)
		}
		out.CRL = crl
	}
	return out, nil
}

// CRL returns the CA's current PEM-encoded CRL (the caller needs hf.GenCRL).
func (c *Client) CRL(ctx context.Context, caller *Identity) ([]byte, error) {
	body := struct {
		CAName string `json:"caname,omitempty"`
	}{c.caName}
	var res struct{ CRL string }
	if err := c.call(ctx, http.MethodPost, "gencrl", nil, body, &res, caller.authorize); err != nil {
		return nil, err
	}
	crl, err := base64.StdEncoding.DecodeString(res.CRL)
	if err != nil {
		return nil, fmt.Errorf("fabric CA gencrl: the CRL is not base64: %w", err)
	}
	return crl, nil
}

// CertificateQuery selects certificates the CA issued (GET certificates).
type CertificateQuery struct {
	// ID is the enrollment ID whose certificates to list.
	ID string
	// NotRevoked and NotExpired leave out revoked and expired certificates.
	NotRevoked, NotExpired bool
}

// Certificates lists the certificates of q that caller (with hf.Registrar.Roles or hf.Revoker) may see: the CA
// answers only those of identities in the caller's affiliation or below.
func (c *Client) Certificates(ctx context.Context, caller *Identity, q CertificateQuery) ([]*x509.Certificate, error) {
	query := url.Values{"id": {q.ID}, "notrevoked": {strconv.FormatBool(q.NotRevoked)}, "notexpired": {strconv.FormatBool(q.NotExpired)}}
	if c.caName != "" {
		query.Set("ca", c.caName)
	}
	var res struct {
		Certs []struct {
			PEM string `json:"PEM"`
		} `json:"certs"`
	}
	if err := c.call(ctx, http.MethodGet, "certificates", query, nil, &res, caller.authorize); err != nil {
		return nil, err
	}
	certs := make([]*x509.Certificate, 0, len(res.Certs))
	for _, p := range res.Certs {
		cert, err := ParseCertificate([]byte(p.PEM))
		if err != nil {
			return nil, fmt.Errorf("fabric CA certificates: %w", err)
		}
		certs = append(certs, cert)
	}
	return certs, nil
}
