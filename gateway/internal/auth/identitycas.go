package auth

import (
	"bytes"
	"crypto/x509"
	"slices"
)

// IdentityCAs are the CAs that issue the identities of the gateway's own org, as its Fabric MSP folder holds them
// (tls.orgMSP): the certificates of its cacerts/ (Roots) and intermediatecerts/ (Intermediates). Fabric's MSP layout
// keeps the org's TLS CAs apart (tlscacerts/, tlsintermediatecerts/), so the folder tells a member's enrolled
// certificate from a peer's or an orderer's TLS certificate whatever the wallet holds: a root above the issuing
// intermediate, a renewed CA no wallet member has been enrolled by yet and an empty wallet all tell them apart.
type IdentityCAs struct {
	Roots         []*x509.Certificate
	Intermediates []*x509.Certificate
	// CRLs are those of the folder's crls/: as Fabric, an identity a CRL signed by its issuer lists is nobody's.
	CRLs []*x509.RevocationList
	// OUs, when there are any, are the OUs of which an identity has one (config.yaml's
	// OrganizationalUnitIdentifiers).
	OUs []OUIdentifier
	// NodeOUs, when not nil, classify the identities by OU (config.yaml's NodeOUs, enabled and naming one OU at
	// least): only a client's or an admin's certificate is a member's; a peer's or an orderer's, issued by the same
	// CA, is nobody who calls the gateway.
	NodeOUs *NodeOUs
}

// OUIdentifier is an OU of the MSP folder's config.yaml. A certificate has it when its subject names OU and, when
// Certifier is set, Certifier issued it (Fabric binds the OU to the chain above the certifier's certificate).
type OUIdentifier struct {
	OU        string
	Certifier *x509.Certificate
}

// NodeOUs are the OUs that tell the MSP's clients, peers, admins and orderers apart; nil for one not configured.
// As in Fabric, an identity has exactly one of the configured OUs, bound to its certifier when one is given; it is
// no identity with none, two, or one another CA issued.
type NodeOUs struct {
	Client, Peer, Admin, Orderer *OUIdentifier
}

// identityIssuers is IdentityCAs ready to verify with.
type identityIssuers struct {
	roots, intermediates *x509.CertPool
	// inner are the CAs that issued another CA of the MSP (raw DER): Fabric's MSP takes no identity such a CA
	// issued directly ("parent certificate should be a leaf of the certification tree").
	inner   map[string]bool
	crls    []*x509.RevocationList
	ous     []OUIdentifier
	nodeOUs map[string]nodeOU
}

// nodeOU is a NodeOU of the MSP: its identifier, and whether its identities are members (a client or an admin).
type nodeOU struct {
	id     *OUIdentifier
	member bool
}

// newIdentityIssuers returns the issuers of ids, nil for none (no tls.orgMSP).
func newIdentityIssuers(ids *IdentityCAs) *identityIssuers {
	if ids == nil {
		return nil
	}
	m := &identityIssuers{roots: x509.NewCertPool(), intermediates: x509.NewCertPool(), inner: map[string]bool{}, crls: ids.CRLs,
		ous: ids.OUs}
	if n := ids.NodeOUs; n != nil {
		// Keyed by OU as Fabric keys them: of two NodeOUs with the same OU, the later (client, peer, admin, orderer)
		// is the one an identity of that OU has.
		m.nodeOUs = map[string]nodeOU{}
		for _, o := range []nodeOU{{n.Client, true}, {n.Peer, false}, {n.Admin, true}, {n.Orderer, false}} {
			if o.id != nil {
				m.nodeOUs[o.id.OU] = o
			}
		}
		if len(m.nodeOUs) == 0 {
			m.nodeOUs = nil // Fabric: NodeOUs that name no OU are not enforced
		}
	}
	for _, c := range ids.Roots {
		m.roots.AddCert(c)
	}
	for _, c := range ids.Intermediates {
		m.intermediates.AddCert(c)
	}
	cas := slices.Concat(ids.Roots, ids.Intermediates)
	for _, parent := range cas {
		for _, child := range cas {
			if !child.Equal(parent) && child.CheckSignatureFrom(parent) == nil {
				m.inner[string(parent.Raw)] = true
			}
		}
	}
	return m
}

// issued reports whether leaf is a member's identity of the org's MSP as Fabric validates one: not a CA itself,
// chained to a root of cacerts/ through intermediatecerts/ alone (never through certificates the caller presented),
// issued by a CA that issued no other CA of the MSP, neither it nor a CA above it listed by a CRL of crls/ its
// issuer signed (an intermediate its root revoked issues nobody, by whichever chain), of an OU of config.yaml
// when it names some, and with NodeOUs a client's or an admin's (classified).
func (m *identityIssuers) issued(leaf *x509.Certificate) bool {
	if leaf.IsCA {
		return false
	}
	chains, err := leaf.Verify(x509.VerifyOptions{Roots: m.roots, Intermediates: m.intermediates,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	if err != nil {
		return false
	}
	return !slices.ContainsFunc(chains, m.chainRevoked) && slices.ContainsFunc(chains, func(chain []*x509.Certificate) bool {
		return len(chain) > 1 && !m.inner[string(chain[1].Raw)] && m.classified(chain)
	})
}

// classified reports whether the identity of chain (leaf first, its issuer next) has an OU of the MSP's OUs when
// there are any, and, with NodeOUs, exactly one NodeOU, a client's or an admin's (Fabric's validateIdentityOUsV142,
// which the peers and orderers of a channel of capability V2_0 and later apply).
func (m *identityIssuers) classified(chain []*x509.Certificate) bool {
	leaf, issuer := chain[0], chain[1]
	certified := func(o *OUIdentifier) bool { return o.Certifier == nil || o.Certifier.Equal(issuer) }
	if len(m.ous) > 0 && !slices.ContainsFunc(m.ous, func(o OUIdentifier) bool {
		return slices.Contains(leaf.Subject.OrganizationalUnit, o.OU) && certified(&o)
	}) {
		return false
	}
	if m.nodeOUs == nil {
		return true
	}
	var roles []nodeOU
	for _, ou := range leaf.Subject.OrganizationalUnit {
		if o, ok := m.nodeOUs[ou]; ok {
			if !certified(o.id) {
				return false
			}
			roles = append(roles, o)
		}
	}
	return len(roles) == 1 && roles[0].member
}

// chainRevoked reports whether a certificate of chain (leaf first) below its root is listed by a CRL of crls/ its
// issuer signed.
func (m *identityIssuers) chainRevoked(chain []*x509.Certificate) bool {
	for i := 0; i+1 < len(chain); i++ {
		if m.revoked(chain[i], chain[i+1]) {
			return true
		}
	}
	return false
}

// revoked reports whether a CRL of the MSP folder that issuer signed lists leaf (Fabric's MSP checks the CRLs of an
// identity's issuer alone: a serial number names a certificate of its issuer only).
func (m *identityIssuers) revoked(leaf, issuer *x509.Certificate) bool {
	return slices.ContainsFunc(m.crls, func(crl *x509.RevocationList) bool {
		return bytes.Equal(crl.RawIssuer, issuer.RawSubject) && crl.CheckSignatureFrom(issuer) == nil &&
			slices.ContainsFunc(crl.RevokedCertificateEntries, func(e x509.RevocationListEntry) bool {
				return e.SerialNumber.Cmp(leaf.SerialNumber) == 0
			})
	})
}
