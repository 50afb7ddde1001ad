package chaincodetest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"
	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/cid"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/protobuf/proto"
)

// Certificates are valid over a wide, fixed window so that they never expire
// relative to a test's simulated clock, whatever start time it picks.
var (
	certNotBefore = time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
	certNotAfter  = time.Date(2100, time.January, 1, 0, 0, 0, 0, time.UTC)
)

// CA is the certificate authority of one organization: it issues the X.509
// identities that act for the organization's MSP. Each CA has a fresh ECDSA
// P-256 key and a self-signed root certificate.
//
// A CA is safe for concurrent use.
type CA struct {
	mspID   string
	key     *ecdsa.PrivateKey
	cert    *x509.Certificate
	certPEM []byte
	// root is the CA whose certificate is the chain's root: the CA itself,
	// or the root an intermediate CA (Intermediate) was issued under.
	root *CA

	mu sync.Mutex
	// intermediates are the intermediate CA certificates issued under a
	// root CA, at any depth, which its MSP accepts a chain through.
	intermediates []*x509.Certificate
}

// NewCA creates the certificate authority of the organization whose MSP ID
// is mspID. The organization name in certificates is mspID without a trailing
// "MSP" (Org1MSP issues for organization Org1). NewCA panics if the system
// cannot generate a key, which only happens when crypto/rand fails.
func NewCA(mspID string) *CA {
	if mspID == "" {
		panic("chaincodetest: NewCA: empty MSP ID")
	}
	key := newKey()
	org := orgName(mspID)
	template := &x509.Certificate{
		SerialNumber:          newSerialNumber(),
		Subject:               pkix.Name{CommonName: "ca." + strings.ToLower(org), Organization: []string{org}},
		NotBefore:             certNotBefore,
		NotAfter:              certNotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	cert, certPEM := createCertificate(template, template, &key.PublicKey, key)
	ca := &CA{mspID: mspID, key: key, cert: cert, certPEM: certPEM}
	ca.root = ca
	return ca
}

// Intermediate issues an intermediate CA certificate under ca (a root or an
// intermediate CA) with the given common name, valid from notBefore to
// notAfter only, and returns the intermediate CA: it issues identities of
// the same MSP, which the channel's MSP of the org accepts through it, as a
// Fabric MSP accepts chains through the intermediate certificates its
// definition lists (intermediatecerts). For a test of what a certificate
// whose chain is not in force may do, list its certificate
// (CertificatePEM) among the org's intermediate certificates of the market
// rules as well.
func (ca *CA) Intermediate(commonName string, notBefore, notAfter time.Time) *CA {
	key := newKey()
	template := &x509.Certificate{
		SerialNumber:          newSerialNumber(),
		Subject:               pkix.Name{CommonName: commonName, Organization: []string{orgName(ca.mspID)}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	cert, certPEM := createCertificate(template, ca.cert, &key.PublicKey, ca.key)
	ca.root.mu.Lock()
	ca.root.intermediates = append(ca.root.intermediates, cert)
	ca.root.mu.Unlock()
	return &CA{mspID: ca.mspID, key: key, cert: cert, certPEM: certPEM, root: ca.root}
}

// MSPID returns the MSP ID of the CA's organization.
func (ca *CA) MSPID() string {
	return ca.mspID
}

// Certificate returns the CA's certificate: self-signed for a root CA
// (NewCA), issued by its parent for an intermediate one (Intermediate).
func (ca *CA) Certificate() *x509.Certificate {
	return ca.cert
}

// CertificatePEM returns the CA's certificate (Certificate), PEM encoded.
func (ca *CA) CertificatePEM() []byte {
	return append([]byte(nil), ca.certPEM...)
}

// Issue issues an identity of the CA's MSP. The certificate subject has the
// given common name, the organization name and, unless ou is empty, the
// organizational unit ou. With Fabric NodeOUs the OU is the identity's role:
// "client", "admin", "peer" or "orderer".
func (ca *CA) Issue(commonName, ou string) Identity {
	return ca.IssueWithAttributes(commonName, ou, nil)
}

// IssueWithAttributes issues an identity like Issue and embeds attrs in the
// certificate the way Fabric CA does (JSON in extension 1.2.3.4.5.6.7.8.1),
// so that chaincode reads them with cid's GetAttributeValue and
// AssertAttributeValue.
func (ca *CA) IssueWithAttributes(commonName, ou string, attrs map[string]string) Identity {
	return ca.IssueValidFor(commonName, ou, attrs, certNotBefore, certNotAfter)
}

// IssueValidFor issues an identity like IssueWithAttributes whose
// certificate is valid from notBefore to notAfter only (to the second, as
// X.509 holds them): for a test of what a certificate that expires, or is
// not yet valid, may do.
func (ca *CA) IssueValidFor(commonName, ou string, attrs map[string]string, notBefore, notAfter time.Time) Identity {
	return ca.issue(commonName, ou, attrs, notBefore, notAfter, &newKey().PublicKey)
}

// Reissue issues a certificate of id's identity (its common name and OU, under this CA) over the public key of
// id's certificate, certifying attrs (none when nil): a renewal that keeps the key pair, as a member whose
// participant record binds its key renews (Fabric CA's reenroll with the same key). Only the public key is
// reused; the harness checks no signature, so the new identity stands for whoever holds id's private key.
func (ca *CA) Reissue(id Identity, attrs map[string]string) Identity {
	return ca.ReissueValidFor(id, attrs, certNotBefore, certNotAfter)
}

// ReissueValidFor is Reissue with a certificate valid from notBefore to notAfter only.
func (ca *CA) ReissueValidFor(id Identity, attrs map[string]string, notBefore, notAfter time.Time) Identity {
	pub, ok := id.Cert.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		panic("chaincodetest: Reissue: the identity's key is not the harness's ECDSA key")
	}
	ou := ""
	if len(id.Cert.Subject.OrganizationalUnit) > 0 {
		ou = id.Cert.Subject.OrganizationalUnit[0]
	}
	return ca.issue(id.Cert.Subject.CommonName, ou, attrs, notBefore, notAfter, pub)
}

// Reenroll issues a certificate of id's identity (its common name and OU, under this CA) certifying what id's
// certifies, over a new key: Fabric CA's enrollment of the same identity again, as a member whose key its
// suspension withdrew enrolls (participants:RebindKey).
func (ca *CA) Reenroll(id Identity) Identity {
	attrs, err := attrmgr.New().GetAttributesFromCert(id.Cert)
	if err != nil {
		panic("chaincodetest: Reenroll: " + err.Error())
	}
	ou := ""
	if len(id.Cert.Subject.OrganizationalUnit) > 0 {
		ou = id.Cert.Subject.OrganizationalUnit[0]
	}
	return ca.issue(id.Cert.Subject.CommonName, ou, attrs.Attrs, certNotBefore, certNotAfter, &newKey().PublicKey)
}

// issue issues a certificate of the CA's MSP over the public key pub.
func (ca *CA) issue(commonName, ou string, attrs map[string]string, notBefore, notAfter time.Time, pub *ecdsa.PublicKey) Identity {
	subject := pkix.Name{CommonName: commonName, Organization: []string{orgName(ca.mspID)}}
	if ou != "" {
		subject.OrganizationalUnit = []string{ou}
	}
	template := &x509.Certificate{
		SerialNumber: newSerialNumber(),
		Subject:      subject,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if len(attrs) > 0 {
		value, err := json.Marshal(&attrmgr.Attributes{Attrs: attrs})
		if err != nil {
			panic(fmt.Sprintf("chaincodetest: encoding certificate attributes: %v", err))
		}
		template.ExtraExtensions = []pkix.Extension{{Id: attrmgr.AttrOID, Value: value}}
	}
	cert, certPEM := createCertificate(template, ca.cert, pub, ca.key)
	return Identity{MSPID: ca.mspID, Cert: cert, CertPEM: certPEM}
}

// verify reports whether id's certificate was issued by the CA's root,
// directly or through its intermediate CAs, as the MSP of a channel member
// checks a proposal's creator: its chain only, not its validity period.
// Fabric's MSP verifies a certificate as of a second after its NotBefore
// (msp/mspimplvalidate.go, getValidityOptsForCert, FAB-3678), the whole
// chain included, so a peer endorses and answers an expired creator, or one
// whose intermediate CA expired since it was issued, and only the ordering
// service refuses an expired creator's transactions; what such a
// certificate may do is the chaincode's to decide.
func (ca *CA) verify(id Identity) error {
	if id.Cert == nil {
		return fmt.Errorf("identity has no certificate")
	}
	roots, intermediates := x509.NewCertPool(), x509.NewCertPool()
	roots.AddCert(ca.root.cert)
	ca.root.mu.Lock()
	for _, c := range ca.root.intermediates {
		intermediates.AddCert(c)
	}
	ca.root.mu.Unlock()
	_, err := id.Cert.Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: intermediates,
		CurrentTime:   id.Cert.NotBefore.Add(time.Second),
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	return err
}

// Identity is an X.509 identity of an MSP, as a client (or peer, or admin)
// presents it in the creator field of a transaction proposal. Create one
// with [CA.Issue].
type Identity struct {
	// MSPID is the ID of the MSP the identity belongs to.
	MSPID string
	// Cert is the identity's certificate.
	Cert *x509.Certificate
	// CertPEM is Cert, PEM encoded; it is what a peer stores as IdBytes.
	CertPEM []byte
}

// Serialized returns the identity as a marshalled msp.SerializedIdentity, the
// bytes that GetCreator returns on a peer and that the cid package parses.
func (id Identity) Serialized() []byte {
	b, err := proto.Marshal(&msp.SerializedIdentity{Mspid: id.MSPID, IdBytes: id.CertPEM})
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: marshalling identity: %v", err))
	}
	return b
}

// ID returns the identity's client ID as chaincode sees it through cid's
// GetID (base64 of "x509::<subject DN>::<issuer DN>"), so tests can compare
// owner fields written by chaincode. It is computed by cid itself, so the two
// cannot drift apart. It panics for an Identity that CA.Issue did not make.
func (id Identity) ID() string {
	c, err := cid.New(creatorOnly(id.Serialized()))
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: parsing identity: %v", err))
	}
	clientID, err := c.GetID()
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: identity ID: %v", err))
	}
	return clientID
}

// String returns "<MSPID>/<common name>", for test failure messages.
func (id Identity) String() string {
	if id.Cert == nil {
		return id.MSPID + "/<no certificate>"
	}
	return id.MSPID + "/" + id.Cert.Subject.CommonName
}

// creatorOnly is a serialized identity posing as the one method of a stub
// that cid needs.
type creatorOnly []byte

// GetCreator returns the serialized identity.
func (c creatorOnly) GetCreator() ([]byte, error) { return c, nil }

// orgName derives an organization name from an MSP ID by the common
// convention of suffixing the name with "MSP".
func orgName(mspID string) string {
	if name := strings.TrimSuffix(mspID, "MSP"); name != "" {
		return name
	}
	return mspID
}

func newKey() *ecdsa.PrivateKey {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: generating key: %v", err))
	}
	return key
}

func newSerialNumber() *big.Int {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: generating serial number: %v", err))
	}
	return serial
}

func createCertificate(template, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) (*x509.Certificate, []byte) {
	der, err := x509.CreateCertificate(rand.Reader, template, parent, pub, signer)
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: creating certificate: %v", err))
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		panic(fmt.Sprintf("chaincodetest: parsing certificate: %v", err))
	}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}
