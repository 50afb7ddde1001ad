package service

import (
	"crypto/x509"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

	"github.com/deltaledger/deltaledger/gateway/internal/auth"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// identityCAs reads the CAs that issue the own org's identities from its Fabric MSP folder dir (tls.orgMSP): the
// certificates of cacerts/ and intermediatecerts/, never those of tlscacerts/ or tlsintermediatecerts/, the CRLs
// of crls/, whose members Fabric refuses (a CRL that cannot be parsed is an error), and the OUs and NodeOUs of
// config.yaml (mspConfig). nil when dir is "" (the gateway then tells them by the CAs that issued the wallet's
// members). A folder whose cacerts/ holds no certificate is an error: it would refuse every member who signs
// itself; so is one with a certificate there or in intermediatecerts/ that is no CA, which Fabric refuses too: a
// leaf put there by mistake would make whoever holds its key an issuer of members.
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
	for _, c := range slices.Concat(roots, intermediates) {
		if !c.IsCA {
			return nil, fmt.Errorf("tls.orgMSP: the certificate %q (serial %s) of %s is no CA (its basic constraints do not say CA:TRUE): Fabric refuses the folder", c.Subject, c.SerialNumber.Text(16), dir)
		}
	}
	ids := &auth.IdentityCAs{Roots: roots, Intermediates: intermediates}
	if err := mspConfig(dir, ids); err != nil {
		return nil, err
	}
	for _, der := range crls {
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			return nil, fmt.Errorf("tls.orgMSP: a CRL of %s: %w", filepath.Join(dir, fabricca.MSPCRLsDir), err)
		}
		ids.CRLs = append(ids.CRLs, crl)
	}
	return ids, nil
}

// mspConfig sets the OUs and NodeOUs of ids from the config.yaml of the MSP folder dir, if any
// (fabricca.ReadMSPConfig). An OU's certificate must be one of ids's CAs, as Fabric requires; the error names the
// file and the field.
func mspConfig(dir string, ids *auth.IdentityCAs) error {
	c, err := fabricca.ReadMSPConfig(dir)
	if err != nil || c == nil {
		return wrapOrgMSP(err)
	}
	path := filepath.Join(dir, fabricca.MSPConfigFile)
	ou := func(o *fabricca.MSPOU) (*auth.OUIdentifier, error) {
		if o == nil {
			return nil, nil
		}
		out := &auth.OUIdentifier{OU: o.OU}
		if o.Certificate == nil {
			return out, nil
		}
		c, err := fabricca.ParseCertificate(o.Certificate)
		if err != nil {
			return nil, fmt.Errorf("tls.orgMSP: %s: %s.Certificate (%s): %w", path, o.Field, o.CertificateFile, err)
		}
		if !slices.ContainsFunc(slices.Concat(ids.Roots, ids.Intermediates), c.Equal) {
			return nil, fmt.Errorf("tls.orgMSP: %s: %s.Certificate (%s) is no CA of %s or %s", path, o.Field, o.CertificateFile,
				fabricca.MSPCACertsDir, fabricca.MSPIntermediateCertsDir)
		}
		out.Certifier = c
		return out, nil
	}
	for _, o := range c.OUs {
		id, err := ou(o)
		if err != nil {
			return err
		}
		ids.OUs = append(ids.OUs, *id)
	}
	if n := c.NodeOUs; n != nil {
		ids.NodeOUs = &auth.NodeOUs{}
		for _, f := range []struct {
			from *fabricca.MSPOU
			to   **auth.OUIdentifier
		}{{n.Client, &ids.NodeOUs.Client}, {n.Peer, &ids.NodeOUs.Peer}, {n.Admin, &ids.NodeOUs.Admin}, {n.Orderer, &ids.NodeOUs.Orderer}} {
			if *f.to, err = ou(f.from); err != nil {
				return err
			}
		}
	}
	return nil
}

// wrapOrgMSP says that err, if any, is of tls.orgMSP.
func wrapOrgMSP(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("tls.orgMSP: %w", err)
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
