package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/serverurl"
	"github.com/deltaledger/deltaledger/model"
)

// ReadMSP reads the enrollment that WriteMSP (or ReplaceMSP) wrote to the MSP folder dir.
func ReadMSP(dir string) (*Enrollment, error) {
	id, err := fabricca.ReadIdentity(filepath.Join(dir, MSPCertFile), filepath.Join(dir, MSPKeyFile))
	if err != nil {
		return nil, fmt.Errorf("deltaledger: reading the MSP folder %s: %w", dir, err)
	}
	key, ok := id.Key.(*ecdsa.PrivateKey)
	if !ok {
		return nil, failuref("%s: the key is not ECDSA", dir)
	}
	chain, err := os.ReadFile(filepath.Join(dir, MSPCAFile))
	if err != nil {
		return nil, fmt.Errorf("deltaledger: reading the MSP folder %s: %w", dir, err)
	}
	return &Enrollment{Key: key, Signer: key, CertificatePEM: id.CertificatePEM, CAChainPEM: chain}, nil
}

// Reenroll rotates the enrollment's key before its certificate expires, straight at the Fabric CA server that
// issued it (caURL, e.g. https://127.0.0.1:27254, never http; its TLS certificate is verified with the enrollment's
// CA chain):
// a new P-256 key pair is generated here, the request is signed with the current key (Fabric CA's token, so only
// the holder of that key can rotate it), and the CA issues a certificate of the new key with the same enrollment
// ID and certified attributes. The new certificate is checked to be of the new key, with the subject and issuer of
// the current one and the same certified enrollment ID, USCC, roles, legal name and division: an error names what
// differs. The receiver is left as it was.
func (e *Enrollment) Reenroll(ctx context.Context, caURL string) (*Enrollment, error) {
	cert, err := fabricca.ParseCertificate(e.CertificatePEM)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the enrollment certificate: %w", err)
	}
	// Without TLS anyone on the way would receive the token signed with the current key and could answer a
	// certificate of its own, which would replace the member's enrollment.
	// serverurl: an error here never quotes a password the URL carries.
	if u, err := serverurl.Parse(caURL); err != nil {
		return nil, fmt.Errorf("deltaledger: the CA URL: %w", err)
	} else if u.Scheme != "https" {
		return nil, failuref("the CA URL %q is not https", caURL)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(e.CAChainPEM) {
		return nil, failuref("the enrollment has no CA chain to verify the CA with")
	}
	ca, err := fabricca.New(caURL, fabricca.WithRootCAs(roots))
	if err != nil {
		return nil, fmt.Errorf("deltaledger: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: generating the key pair: %w", err)
	}
	// The request names the current subject (the CA sets the OUs): Fabric CA takes the other names (C, ST, L, O)
	// from the request, and a certificate of another subject would be another participant.
	subject := cert.Subject
	subject.OrganizationalUnit, subject.Names = nil, nil
	csr, err := fabricca.CertificateRequest(key, cert.Subject.CommonName, subject)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: %w", err)
	}
	issued, err := ca.Reenroll(ctx, &fabricca.Identity{CertificatePEM: e.CertificatePEM, Key: e.Key}, csr)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: re-enrolling: %w", err)
	}
	if _, err := checkIssued(issued.CertificatePEM, issuedFor{key: &key.PublicKey, enrollmentID: cert.Subject.CommonName, renewed: cert}); err != nil {
		return nil, err
	}
	return &Enrollment{Key: key, Signer: key, CertificatePEM: issued.CertificatePEM, CAChainPEM: issued.CAChainPEM, MSPID: e.MSPID}, nil
}

// KeySHA256 is the digest of the enrollment's key as a participant's record binds it (model.KeyDigest of its
// certificate): the record's keySha256 equals it when the ledger acts for the participant with this key.
func (e *Enrollment) KeySHA256() (string, error) {
	cert, err := fabricca.ParseCertificate(e.CertificatePEM)
	if err != nil {
		return "", fmt.Errorf("deltaledger: the enrollment certificate: %w", err)
	}
	return model.KeyDigest(cert), nil
}

// ReplaceMSP writes the enrollment over the one in the MSP folder dir (after Reenroll): each file is written
// whole beside its old version and renamed over it, the key first, so the folder never holds half a file. It
// refuses a folder that another user of the machine owns or may write, as WriteMSP does.
func (e *Enrollment) ReplaceMSP(dir string) error {
	if err := ownMSPFolder(dir); err != nil {
		return err
	}
	keyPEM, err := fabricca.MarshalPrivateKey(e.Key)
	if err != nil {
		return fmt.Errorf("deltaledger: encoding the key: %w", err)
	}
	if err := fabricca.WriteMSP(dir, keyPEM, e.CAChainPEM, e.CertificatePEM); err != nil {
		return fmt.Errorf("deltaledger: %w", err)
	}
	return nil
}
