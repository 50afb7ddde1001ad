package fabricca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net/http"
)

// Identity is an enrolled identity: the certificate a CA issued and the key it was issued for. It authenticates
// the calls that need an enrolled caller (re-enrollment, registration, revocation) with Fabric CA's token: the
// certificate and an ECDSA signature over the request's method, URI, body and certificate.
type Identity struct {
	// CertificatePEM is the PEM of the identity's certificate.
	CertificatePEM []byte
	// Key is the private key of the certificate (ECDSA).
	Key crypto.Signer
}

// ReadIdentity loads an identity from a PEM certificate file and a PEM private key file (PKCS #8 or SEC 1), the
// files fabric-ca-client and Enroll callers write (msp/signcerts/cert.pem, msp/keystore/<ski>_sk).
func ReadIdentity(certFile, keyFile string) (*Identity, error) {
	certPEM, _, err := readPEMFile(certFile, ParseCertificate)
	if err != nil {
		return nil, err
	}
	_, key, err := readPEMFile(keyFile, ParsePrivateKey)
	if err != nil {
		return nil, err
	}
	return &Identity{CertificatePEM: certPEM, Key: key}, nil
}

// readPEMFile reads the PEM file at path and decodes it with parse, returning the file's bytes beside what parse
// made of them. A decoding error names the file, because the callers read several files and the bare parse error
// would not say which one is wrong; a read error names it already.
func readPEMFile[T any](path string, parse func([]byte) (T, error)) ([]byte, T, error) {
	var zero T
	b, err := ReadMSPFile(path)
	if err != nil {
		return nil, zero, err
	}
	v, err := parse(b)
	if err != nil {
		return nil, zero, fmt.Errorf("%s: %w", path, err)
	}
	return b, v, nil
}

// ParseCertificate decodes the first PEM CERTIFICATE block of b.
func ParseCertificate(b []byte) (*x509.Certificate, error) {
	block, _ := pem.Decode(b)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("not a PEM CERTIFICATE")
	}
	return x509.ParseCertificate(block.Bytes)
}

// PEMCertificates returns the DER bytes of every CERTIFICATE block of b (a PEM bundle), in order.
func PEMCertificates(b []byte) [][]byte { return pemBlocks(b, "CERTIFICATE") }

// pemBlocks returns the DER bytes of every block of type blockType of b (PEM), in order.
func pemBlocks(b []byte, blockType string) [][]byte {
	var out [][]byte
	for {
		var block *pem.Block
		if block, b = pem.Decode(b); block == nil {
			return out
		}
		if block.Type == blockType {
			out = append(out, block.Bytes)
		}
	}
}

// ReadCertificate reads the PEM certificate file at path; its errors name
// the file.
func ReadCertificate(path string) (*x509.Certificate, error) {
	_, cert, err := readPEMFile(path, ParseCertificate)
	return cert, err
}

// ParsePrivateKey decodes a PEM ECDSA private key in PKCS #8 or SEC 1 form.
func ParsePrivateKey(b []byte) (*ecdsa.PrivateKey, error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("not a PEM private key")
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		ec, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("a %T private key; Fabric CA tokens need ECDSA", k)
		}
		return ec, nil
	}
	return x509.ParseECPrivateKey(block.Bytes)
}

// MarshalPrivateKey encodes key as a PEM private key in PKCS #8 form, which ParsePrivateKey and Fabric read.
func MarshalPrivateKey(key *ecdsa.PrivateKey) ([]byte, error) {
	if key == nil {
		return nil, errors.New("no private key")
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// authorize sets Fabric CA's token on req: base64(cert) "." base64(signature), the signature over
// SHA-256(method "." base64(request URI) "." base64(body) "." base64(cert)) in low-S form, as the server's
// verifier (Fabric's BCCSP) requires.
func (id *Identity) authorize(req *http.Request, body []byte) error {
	if id == nil || id.Key == nil || len(id.CertificatePEM) == 0 {
		return errors.New("fabric CA: the call needs an enrolled identity (certificate and key)")
	}
	b64 := base64.StdEncoding.EncodeToString
	cert := b64(id.CertificatePEM)
	payload := req.Method + "." + b64([]byte(req.URL.RequestURI())) + "." + b64(body) + "." + cert
	digest := sha256.Sum256([]byte(payload))
	sig, err := id.Key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return fmt.Errorf("fabric CA: signing the token: %w", err)
	}
	if sig, err = lowS(id.Key.Public(), sig); err != nil {
		return err
	}
	req.Header.Set("Authorization", cert+"."+b64(sig))
	return nil
}

// lowS rewrites an ASN.1 ECDSA signature (r, s) with s > n/2 as (r, n-s): both verify, and Fabric accepts only
// the second.
func lowS(pub crypto.PublicKey, sig []byte) ([]byte, error) {
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("fabric CA: a %T key cannot sign tokens; Fabric CA tokens need ECDSA", pub)
	}
	var rs struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(sig, &rs); err != nil {
		return nil, fmt.Errorf("fabric CA: the key's signature is not ASN.1 ECDSA: %w", err)
	}
	n := ec.Curve.Params().N
	if rs.S.Cmp(new(big.Int).Rsh(n, 1)) <= 0 {
		return sig, nil
	}
	rs.S.Sub(n, rs.S)
	return asn1.Marshal(rs)
}
