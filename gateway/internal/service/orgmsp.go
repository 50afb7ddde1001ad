package service

import (
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// identityCAs reads the CAs that issue the own org's identities from its Fabric MSP folder dir (tls.orgMSP): the
// certificates of cacerts/ and intermediatecerts/, never those of tlscacerts/ or tlsintermediatecerts/, and the CRLs
// of crls/, whose members Fabric refuses (a CRL that cannot be parsed is an error). nil when dir
// is "" (the gateway then tells them by the CAs that issued the wallet's members). A folder whose cacerts/ holds no
// certificate is an error: it would refuse every member who signs itself.
func identityCAs(dir string) (*auth.IdentityCAs, error) {
	if dir == "" {
		return nil, nil
	}
	roots, err := folderCertificates(dir, fabricca.MSPCACertsDir)
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("tls.orgMSP: %s holds no CA certificate", filepath.Join(dir, fabricca.MSPCACertsDir))
	}
	intermediates, err := folderCertificates(dir, fabricca.MSPIntermediateCertsDir)
	if err != nil {
		return nil, err
	}
	crls, err := fabricca.MSPFolderCRLs(dir)
	if err != nil {
		return nil, fmt.Errorf("tls.orgMSP: %w", err)
	}
	ids := &auth.IdentityCAs{Roots: roots, Intermediates: intermediates}
	for _, der := range crls {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, fmt.Errorf("tls.orgMSP: a CRL of %s: %w", filepath.Join(dir, fabricca.MSPCRLsDir), err)
		}
		ids.CRLs = append(ids.CRLs, crl)
	}
	return ids, nil
}

// folderCertificates parses the certificates of the folder sub of the MSP folder dir (none when it is missing).
func folderCertificates(dir, sub string) ([]*x509.Certificate, error) {
	ders, err := fabricca.MSPFolderCertificates(dir, sub)
	if err != nil {
		return nil, fmt.Errorf("tls.orgMSP: %w", err)
	}
	out := make([]*x509.Certificate, 0, len(ders))
	for _, der := range ders {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			return nil, fmt.Errorf("tls.orgMSP: a certificate of %s: %w", filepath.Join(dir, sub), err)
		}
		out = append(out, c)
	}
	return out, nil
}

// warnOfNoEnrolmentCA logs that members who sign themselves are refused when no CA of the own org's tls.clientCAs
// issued a wallet member's signing certificate and no tls.orgMSP says which CAs issue identities (a root above the
// issuing intermediate, a renewed CA, an empty wallet): the gateway fails closed, and says how to open.
func (s *Service) warnOfNoEnrolmentCA() {
	if byWallet, issuers := s.authn.EnrolsByWallet(); byWallet && issuers == 0 {
		s.log.Warn("no CA of the own org in tls.clientCAs issued a wallet member's signing certificate: members who sign themselves are refused (401) until tls.orgMSP names the org's MSP folder")
	}
}

// installFolderCRLs installs the CRLs of the MSP folder's crls/ (ids, nil when not configured) among the CRLs the
// gateway holds (s.crl; kept in ca-crl.pem with ca.url), each as its own CA's: a root's CRL that revoked an
// intermediate then refuses every chain through it, and a CRL of the enrolment CA the certificates of wallet members
// and API keys too, not only members who sign themselves. One older than the CRL held of its CA is left; one no CA
// of crlIssuers signed is left and logged (Fabric's MSP ignores a CRL of none of its CAs too).
func (s *Service) installFolderCRLs(ids *auth.IdentityCAs) {
	if ids == nil {
		return
	}
	for _, crl := range ids.CRLs {
		if err := s.crl.Set(crl.Raw); err != nil && !errors.Is(err, revocation.ErrStale) {
			s.log.Warn("tls.orgMSP: a CRL of crls/ is not installed", "issuer", crl.Issuer.String(), "error", err)
		}
	}
}

// crlIssuers are the certificates of the CA whose CRL the gateway keeps (ca.url): the own org's client CAs of cas,
// and the CAs of its MSP folder (ids, nil when not configured), which issue its members. The CA signs its CRL with
// the certificate that issues them, which may be an intermediate of the folder's intermediatecerts/ that
// tls.clientCAs does not name (it may name only the root above): its CRL refused, nobody it revoked was refused.
func crlIssuers(mspID string, cas []auth.TrustedCA, ids *auth.IdentityCAs) []*x509.Certificate {
	var out []*x509.Certificate
	for _, ca := range cas {
		if ca.MSPID == mspID {
			out = append(out, ca.Certificates...)
		}
	}
	if ids != nil {
		out = append(out, ids.Roots...)
		out = append(out, ids.Intermediates...)
	}
	return out
}
