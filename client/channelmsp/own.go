package channelmsp

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Own is what the admin knows of its org's MSP without asking the channel, from its own MSP folder (ReadOwn): the
// configuration a peer answers is only as true as that peer, and the update writes the org's whole MSP definition
// as the peer gave it, CRL added. Update signs only when that definition trusts what the admin's own folder does,
// so that a forged configuration cannot have the admin sign other CAs, admins or roles into the channel.
type Own struct {
	// MSPID is the org's MSP ID.
	MSPID string
	// CACerts are the DER certificates of the org's root and intermediate CAs: the channel's definition must hold
	// these and no other.
	CACerts [][]byte
	// Admins are the DER certificates the MSP names admins explicitly (admincerts/; none with NodeOUs).
	Admins [][]byte
	// NodeOUs classify the org's certificates by OU (config.yaml); nil when the folder has none.
	NodeOUs *msp.FabricNodeOUs
	// OUs are the OUs a certificate must have to be valid in the MSP (config.yaml); none when the folder names none.
	OUs []*msp.FabricOUIdentifier
	// TLSCACerts are the DER certificates of TLS CAs the admin trusts for its org: the channel's definition may hold
	// no TLS CA that is not one of them.
	TLSCACerts [][]byte
}

// ReadOwn reads the admin's MSP folder dir as the MSP mspID: its CAs (cacerts/, intermediatecerts/), explicit
// admins (admincerts/), NodeOUs and OUs (config.yaml) and TLS CAs (tlscacerts/, tlsintermediatecerts/; when the
// folder has none, the certificates of tlsCAPEM, the TLS CA the admin reaches its peer and orderer with).
func ReadOwn(dir, mspID string, tlsCAPEM []byte) (*Own, error) {
	own := &Own{MSPID: mspID}
	var err error
	if own.CACerts, err = fabricca.MSPFolderCertificates(dir, fabricca.MSPCACertsDir, fabricca.MSPIntermediateCertsDir); err != nil {
		return nil, err
	}
	if len(own.CACerts) == 0 {
		return nil, fmt.Errorf("the MSP folder %s holds no CA certificate (cacerts/)", dir)
	}
	if own.Admins, err = fabricca.MSPFolderCertificates(dir, fabricca.MSPAdminCertsDir); err != nil {
		return nil, err
	}
	if own.TLSCACerts, err = fabricca.MSPFolderCertificates(dir, fabricca.MSPTLSCACertsDir, fabricca.MSPTLSIntermediateCertsDir); err != nil {
		return nil, err
	}
	if len(own.TLSCACerts) == 0 {
		own.TLSCACerts = fabricca.PEMCertificates(tlsCAPEM)
	}
	if err := own.readConfig(dir); err != nil {
		return nil, err
	}
	return own, nil
}

// readConfig reads the NodeOUs and OUs of dir's config.yaml (fabricca.ReadMSPConfig) as Fabric puts them into the
// MSP's definition, each OU's certificate the file's bytes.
func (own *Own) readConfig(dir string) error {
	c, err := fabricca.ReadMSPConfig(dir)
	if err != nil || c == nil {
		return err
	}
	ou := func(o *fabricca.MSPOU) *msp.FabricOUIdentifier {
		if o == nil {
			return nil
		}
		return &msp.FabricOUIdentifier{OrganizationalUnitIdentifier: o.OU, Certificate: o.Certificate}
	}
	for _, o := range c.OUs {
		own.OUs = append(own.OUs, ou(o))
	}
	if n := c.NodeOUs; n != nil {
		own.NodeOUs = &msp.FabricNodeOUs{Enable: true, ClientOuIdentifier: ou(n.Client), PeerOuIdentifier: ou(n.Peer),
			AdminOuIdentifier: ou(n.Admin), OrdererOuIdentifier: ou(n.Orderer)}
	}
	return nil
}

// check refuses a channel's definition of the org's MSP that trusts anything the admin's own folder does not:
// other CAs, other explicit admins, other roles, other OUs, a TLS CA the admin does not trust, or hashing other
// than Fabric's SHA-256. Only the CRLs may differ: they are what the update changes.
func (own *Own) check(mspConfig *msp.MSPConfig, fabric *msp.FabricMSPConfig) error {
	name := fabric.GetName()
	switch {
	case mspConfig.GetType() != 0:
		return fmt.Errorf("the channel's MSP %s is not a Fabric X.509 MSP (type %d)", name, mspConfig.GetType())
	case !sameCerts(slices.Concat(fabric.GetRootCerts(), fabric.GetIntermediateCerts()), own.CACerts):
		return fmt.Errorf("the channel's MSP %s trusts other CAs than the admin's MSP folder (cacerts/, intermediatecerts/)", name)
	case !sameCerts(fabric.GetAdmins(), own.Admins):
		return fmt.Errorf("the channel's MSP %s names other admins than the admin's MSP folder (admincerts/)", name)
	case !proto.Equal(enabled(fabric.GetFabricNodeOus()), own.NodeOUs):
		return fmt.Errorf("the channel's MSP %s classifies identities by other NodeOUs than the admin's MSP folder (config.yaml)", name)
	case !sameOUs(fabric.GetOrganizationalUnitIdentifiers(), own.OUs):
		return fmt.Errorf("the channel's MSP %s requires other OUs than the admin's MSP folder (config.yaml)", name)
	case !subsetCerts(slices.Concat(fabric.GetTlsRootCerts(), fabric.GetTlsIntermediateCerts()), own.TLSCACerts):
		return fmt.Errorf("the channel's MSP %s trusts a TLS CA that the admin does not (tlscacerts/, or --fabric-cacert)", name)
	case fabric.GetSigningIdentity() != nil:
		return fmt.Errorf("the channel's MSP %s holds a signing identity", name)
	}
	if c := fabric.GetCryptoConfig(); c != nil && (c.GetSignatureHashFamily() != "SHA2" || c.GetIdentityIdentifierHashFunction() != "SHA256") {
		return fmt.Errorf("the channel's MSP %s hashes with %s/%s, not SHA2/SHA256", name, c.GetSignatureHashFamily(), c.GetIdentityIdentifierHashFunction())
	}
	return nil
}

// enabled returns NodeOUs that are enabled, else nil (disabled NodeOUs classify nothing, as none).
func enabled(n *msp.FabricNodeOUs) *msp.FabricNodeOUs {
	if !n.GetEnable() {
		return nil
	}
	return n
}

// sameCerts reports whether the PEM entries hold exactly the DER certificates der, in any order.
func sameCerts(entries [][]byte, der [][]byte) bool {
	held := derOf(entries)
	return subset(held, der) && subset(der, held)
}

// subsetCerts reports whether every certificate of the PEM entries is one of the DER certificates der.
func subsetCerts(entries [][]byte, der [][]byte) bool { return subset(derOf(entries), der) }

// subset reports whether every certificate of a is one of b's.
func subset(a, b [][]byte) bool {
	for _, c := range a {
		if !slices.ContainsFunc(b, func(d []byte) bool { return bytes.Equal(c, d) }) {
			return false
		}
	}
	return true
}

// derOf returns the DER certificates of PEM entries (an entry may hold several; one that holds none counts as
// itself, so that it matches nothing).
func derOf(entries [][]byte) [][]byte {
	var out [][]byte
	for _, e := range entries {
		certs := fabricca.PEMCertificates(e)
		if len(certs) == 0 {
			certs = [][]byte{e}
		}
		out = append(out, certs...)
	}
	return out
}

// sameOUs reports whether a and b name the same OUs in the same order.
func sameOUs(a, b []*msp.FabricOUIdentifier) bool {
	return slices.EqualFunc(a, b, func(x, y *msp.FabricOUIdentifier) bool { return proto.Equal(x, y) })
}
