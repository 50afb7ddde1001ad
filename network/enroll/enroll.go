// Package enroll issues the identities of the local network from the regions' Fabric CAs (one fabric-ca-server
// per region, started by scripts/lib/ca.sh, hosting the CA "ca" of the org's MSP identities and the TLS CA
// "tlsca"). It registers and enrolls every identity an org lacks, in the Fabric CA layout that the nodes, the
// scripts and fabricnet read (scripts/lib/ca.sh shows it): the peer, the ordering node, the TLS server
// certificates of the chaincode service and the REST gateway, the org admin and the users of identities.env; and
// three self-signed TLS client certificates no CA issues, each trusted by name at the endpoints it serves
// (AdminTLSPin, ChaincodeClientTLSPin, MonitoringTLSPin; WritePins).
//
// Each key pair is generated here, next to where it is stored; the enrollment secrets are random, used once and
// kept nowhere. The CAs' bootstrap registrar (its secret is in the CA's home, registrar.secret) registers them.
// Everything already issued is left alone, so running it again only fills gaps.
package enroll

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/atomicfile"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Names of the two CAs of a region's CA server.
const (
	SigningCA = "ca"
	TLSCA     = "tlsca"
)

// Registrar is the enrollment ID of the CA servers' bootstrap registrar (fabric-ca-server.yaml.tmpl).
const Registrar = "registrar"

// Identity types, which the CA writes as the OU of enrollment certificates and the MSPs classify (NodeOUs).
const (
	TypeClient  = "client"
	TypeAdmin   = "admin"
	TypePeer    = "peer"
	TypeOrderer = "orderer"
)

// tlsSide names the files of a TLS certificate: server.crt/.key or client.crt/.key.
type tlsSide string

const (
	tlsServer tlsSide = "server"
	tlsClient tlsSide = "client"
)

// identity is one identity of the layout.
type identity struct {
	id      string   // enrollment ID (the certificates' CN)
	dir     string   // its folder
	mspType string   // type of its MSP identity; "" for a TLS certificate only
	side    tlsSide  // its TLS certificate; "" for none
	hosts   []string // the TLS server certificate's host names
	attrs   []fabricca.Attribute
	aff     string // its affiliation at the signing CA ("" for the root)
}

// demoAttributes are the attributes certified in the certificate of demo user u: those of its role of
// identities.env (demo.CertifiedAttributes), so that the demo's enterprises are certified as onboarding certifies
// them (the chaincode gives enterprise roles only to certified members).
func demoAttributes(cfg *fabricnet.Config, o fabricnet.Org, u string) []fabricca.Attribute {
	var attrs []fabricca.Attribute
	for role, user := range cfg.Roles {
		if user != u {
			continue
		}
		certified := demo.CertifiedAttributes(o.Key, role)
		for _, name := range slices.Sorted(maps.Keys(certified)) {
			attrs = append(attrs, fabricca.Attribute{Name: name, Value: certified[name], ECert: true})
		}
	}
	return attrs
}

// GatewayRegistrarAttributes let the gateway's registrar register client identities with the model's certified
// attributes (deltaledger.*) and nothing else, what onboarding needs (gateway/internal/onboarding), and revoke
// them and read the CA's CRL, what cutting a suspended member off needs. The registrar is of the affiliation
// model.MembersAffiliation, and Fabric CA's hf.Revoker reaches only identities of the registrar's own affiliation
// and below: the members it onboarded, never its org's peer, orderer, admin or staff (root affiliation).
var GatewayRegistrarAttributes = []fabricca.Attribute{
	{Name: "hf.Registrar.Roles", Value: TypeClient},
	{Name: "hf.Registrar.Attributes", Value: "deltaledger.*"},
	{Name: "hf.Revoker", Value: "true"},
	{Name: "hf.GenCRL", Value: "true"},
}

// GatewayRegistrarDir is the folder of the gateway's registrar identity at the org's CA (its MSP in msp/):
// registrar/ in the gateway's folder.
func GatewayRegistrarDir(cfg *fabricnet.Config, o fabricnet.Org) string {
	return filepath.Join(cfg.NodeDir(o, fabricnet.NodeGateway), "registrar")
}

// Pinned TLS client certificates. Fabric's admin and operations endpoints and the chaincode service authenticate
// their client by the TLS handshake alone, so each trusts certificates by name, not the org's TLS CA (which
// certifies every user's, the gateway's and every node's TLS certificate too): the org admin's alone at the ordering
// node's admin endpoint, it and the monitoring reader's at the nodes' operations endpoints, the peer's alone at the
// chaincode service. Each is self-signed: Fabric's Go clients (osnadmin, the peer dialling a chaincode service)
// offer a certificate only when its issuer is among the server's acceptable CAs, the subjects of the certificates
// it trusts, so a certificate trusted by itself must be its own issuer. Each is made where it is stored, like every key here, and is renewed by deleting it (the
// next run makes a new one, the nodes' configurations name it).
const (
	// AdminTLSPin is the org admin's: users/Admin@<domain>/tls/admin.{crt,key}.
	AdminTLSPin = "admin"
	// ChaincodeClientTLSPin is the peer's, for its chaincode services: peers/peer0.<domain>/tls/chaincode-client.{crt,key}.
	ChaincodeClientTLSPin = "chaincode-client"
	// MonitoringTLSPin is the org's monitoring reader's (Prometheus, scripts/lib/monitoring.sh), in
	// MonitoringTLSDir: monitoring/tls/monitoring.{crt,key}. The nodes' operations endpoints trust it, for /metrics,
	// and the ordering node's admin endpoint does not: whoever reads the scrape configuration holds its key, which
	// must not remove the org's ordering node from a channel as the admin's did.
	MonitoringTLSPin = "monitoring"
)

// MonitoringTLSDir is the folder of the org's MonitoringTLSPin: monitoring/tls in the org's folder, no user's or
// node's, since it is no Fabric identity.
func MonitoringTLSDir(cfg *fabricnet.Config, o fabricnet.Org) string {
	return filepath.Join(cfg.OrgDir(o), "monitoring", "tls")
}

// WritePins writes each pinned TLS client certificate of org o that is missing (WritePinnedTLS: the admin's, the
// peer's chaincode client, the monitoring reader's), each under a common name of its own: an endpoint names the
// subjects it trusts as acceptable issuers, and no two pins share one. It returns what it wrote.
func WritePins(cfg *fabricnet.Config, o fabricnet.Org) ([]string, error) {
	var written []string
	for _, pin := range []struct{ dir, name, cn string }{
		{filepath.Join(cfg.UserDir(o, "Admin"), "tls"), AdminTLSPin, "Admin@" + o.Domain},
		{filepath.Join(cfg.NodeDir(o, fabricnet.NodePeer), "tls"), ChaincodeClientTLSPin, cfg.NodeName(o, fabricnet.NodePeer)},
		{MonitoringTLSDir(cfg, o), MonitoringTLSPin, "monitoring." + o.Domain},
	} {
		if exists(filepath.Join(pin.dir, pin.name+".crt")) {
			continue
		}
		if err := WritePinnedTLS(pin.dir, pin.name, pin.cn, orgSubject(o)); err != nil {
			return written, err
		}
		written = append(written, pin.cn+" (pinned TLS "+pin.name+")")
	}
	return written, nil
}

// orgSubject is the subject names of every certificate of org o, but the common name.
func orgSubject(o fabricnet.Org) pkix.Name {
	return pkix.Name{Country: []string{"CN"}, Province: []string{o.Province}, Locality: []string{o.City},
		Organization: []string{o.Domain}}
}

// pinnedTLSValidity is how long a pinned certificate is valid: as long as the TLS CA's certificates (its profile
// tls, fabric-ca-server.yaml.tmpl).
const pinnedTLSValidity = 8760 * time.Hour

// WritePinnedTLS writes dir/<name>.key (mode 600) and, last, since its presence means complete, dir/<name>.crt: a new
// key pair and a self-signed TLS client certificate of it for common name cn in the names of subject.
func WritePinnedTLS(dir, name, cn string, subject pkix.Name) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return err
	}
	subject.CommonName = cn
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: subject,
		NotBefore: now.Add(-5 * time.Minute), NotAfter: now.Add(pinnedTLSValidity),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyPEM, err := fabricca.MarshalPrivateKey(key)
	if err != nil {
		return err
	}
	return writeFiles(
		file{filepath.Join(dir, name+".key"), keyPEM, 0o600},
		file{filepath.Join(dir, name+".crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644},
	)
}

// Issuer issues the identities of one org.
type Issuer struct {
	cfg     *fabricnet.Config
	org     fabricnet.Org
	ca      map[string]*fabricca.Client // by CA name
	subject pkix.Name
	secret  string
	// registrars are enrolled on first need, by CA name.
	registrars map[string]*fabricca.Identity
}

// NewIssuer returns the issuer of org, which talks to the org's CA server over TLS.
func NewIssuer(cfg *fabricnet.Config, org fabricnet.Org) (*Issuer, error) {
	pem, err := os.ReadFile(cfg.CAServerCertFile(org))
	if err != nil {
		return nil, fmt.Errorf("the CA of %s has not started: %w", org.MSPID, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no certificate", cfg.CAServerCertFile(org))
	}
	secret, err := os.ReadFile(filepath.Join(cfg.CAHome(org), "registrar.secret"))
	if err != nil {
		return nil, fmt.Errorf("the registrar secret of %s: %w", org.MSPID, err)
	}
	is := &Issuer{
		cfg: cfg, org: org, ca: map[string]*fabricca.Client{}, registrars: map[string]*fabricca.Identity{},
		secret: strings.TrimSpace(string(secret)), subject: orgSubject(org),
	}
	for _, name := range []string{SigningCA, TLSCA} {
		c, err := fabricca.New("https://"+org.CAEndpoint, fabricca.WithRootCAs(pool), fabricca.WithCAName(name))
		if err != nil {
			return nil, err
		}
		is.ca[name] = c
	}
	return is, nil
}

// identities is the org's part of the layout.
func (is *Issuer) identities() []identity {
	cfg, o := is.cfg, is.org
	node := func(n, mspType string) identity {
		return identity{id: cfg.NodeName(o, n), dir: cfg.NodeDir(o, n), mspType: mspType, side: tlsServer,
			hosts: cfg.CSRHosts(o, n)}
	}
	ids := []identity{
		node(fabricnet.NodePeer, TypePeer),
		node(fabricnet.NodeOrderer, TypeOrderer),
		node(fabricnet.NodeChaincode, ""),
		node(fabricnet.NodeGateway, ""),
	}
	for _, u := range append([]string{"Admin"}, cfg.Users()...) {
		t := TypeClient
		if u == "Admin" {
			t = TypeAdmin
		}
		ids = append(ids, identity{id: u + "@" + o.Domain, dir: cfg.UserDir(o, u), mspType: t, side: tlsClient,
			attrs: demoAttributes(cfg, o, u)})
	}
	return append(ids, identity{id: cfg.NodeName(o, fabricnet.NodeGateway), dir: GatewayRegistrarDir(cfg, o),
		mspType: TypeClient, attrs: GatewayRegistrarAttributes, aff: model.MembersAffiliation})
}

// IssueAll writes the org's MSP and CA certificates, then registers and enrolls every identity that lacks its
// files. It returns the enrollment IDs it issued.
func (is *Issuer) IssueAll(ctx context.Context) ([]string, error) {
	if err := is.writeOrgMSP(ctx); err != nil {
		return nil, err
	}
	var issued []string
	for _, id := range is.identities() {
		if id.mspType != "" && !exists(filepath.Join(id.dir, "msp", fabricca.MSPCertFile)) {
			if err := is.issueMSP(ctx, id); err != nil {
				return issued, err
			}
			issued = append(issued, id.id)
		}
		if id.side != "" && !exists(filepath.Join(id.dir, "tls", string(id.side)+".crt")) {
			if err := is.issueTLS(ctx, id); err != nil {
				return issued, err
			}
			issued = append(issued, id.id+" (TLS)")
		}
	}
	pinned, err := WritePins(is.cfg, is.org)
	return append(issued, pinned...), err
}

// writeOrgMSP writes ca/, tlsca/ and the org MSP (cacerts, tlscacerts, NodeOU config.yaml) from the CAs' own
// answers.
func (is *Issuer) writeOrgMSP(ctx context.Context) error {
	cfg, o := is.cfg, is.org
	ca, err := is.ca[SigningCA].Info(ctx)
	if err != nil {
		return fmt.Errorf("the CA of %s: %w", o.MSPID, err)
	}
	tlsca, err := is.ca[TLSCA].Info(ctx)
	if err != nil {
		return fmt.Errorf("the TLS CA of %s: %w", o.MSPID, err)
	}
	nodeOUs, err := os.ReadFile(filepath.Join(cfg.Root, "network", "config", "msp-config.yaml"))
	if err != nil {
		return err
	}
	msp := filepath.Join(cfg.OrgDir(o), "msp")
	return writeFiles(
		file{cfg.CACertFile(o), ca.CAChainPEM, 0o644},
		file{cfg.TLSRootCertFile(o), tlsca.CAChainPEM, 0o644},
		file{filepath.Join(msp, fabricca.MSPCACertsDir, filepath.Base(cfg.CACertFile(o))), ca.CAChainPEM, 0o644},
		file{filepath.Join(msp, fabricca.MSPTLSCACertsDir, filepath.Base(cfg.TLSRootCertFile(o))), tlsca.CAChainPEM, 0o644},
		file{filepath.Join(msp, fabricca.MSPConfigFile), nodeOUs, 0o644},
	)
}

// RegistrarMSPDir is where the bootstrap registrar's enrollment with CA caName is kept: <CA home>/registrar/
// <caName>-msp, next to the fabric-ca-client configuration that scripts/lib/ca.sh writes there for operators.
func RegistrarMSPDir(cfg *fabricnet.Config, o fabricnet.Org, caName string) string {
	return filepath.Join(cfg.CAHome(o), "registrar", caName+"-msp")
}

// registrar returns the bootstrap registrar's identity at CA caName, enrolled on first need.
func (is *Issuer) registrar(ctx context.Context, caName string) (*fabricca.Identity, error) {
	if r := is.registrars[caName]; r != nil {
		return r, nil
	}
	dir := RegistrarMSPDir(is.cfg, is.org, caName)
	if exists(filepath.Join(dir, fabricca.MSPCertFile)) {
		r, err := fabricca.ReadMSPIdentity(dir)
		if err != nil {
			return nil, err
		}
		is.registrars[caName] = r
		return r, nil
	}
	key, csr, err := is.request(Registrar)
	if err != nil {
		return nil, err
	}
	e, err := is.ca[caName].Enroll(ctx, Registrar, is.secret, csr)
	if err != nil {
		return nil, fmt.Errorf("enrolling the registrar of %s with %s: %w", is.org.MSPID, caName, err)
	}
	if err := writeMSP(dir, key, e); err != nil {
		return nil, err
	}
	r := &fabricca.Identity{CertificatePEM: e.CertificatePEM, Key: key}
	is.registrars[caName] = r
	return r, nil
}

// request makes a key pair and the certificate signing request of enrollment ID id.
func (is *Issuer) request(id string, hosts ...string) (*ecdsa.PrivateKey, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	csr, err := fabricca.CertificateRequest(key, id, is.subject, hosts...)
	return key, csr, err
}

// enroll registers id with CA caName and attributes attrs (or gives an identity registered by an interrupted run a
// new secret) and enrolls a new key pair for it with the signing profile ("" for the CA's default) and host names.
func (is *Issuer) enroll(ctx context.Context, caName, id, idType, aff, profile string, hosts []string, attrs []fabricca.Attribute) (*ecdsa.PrivateKey, *fabricca.Enrollment, error) {
	reg, err := is.registrar(ctx, caName)
	if err != nil {
		return nil, nil, err
	}
	secret, err := randomSecret()
	if err != nil {
		return nil, nil, err
	}
	ca := is.ca[caName]
	_, err = ca.Register(ctx, reg, fabricca.Registration{ID: id, Type: idType, Secret: secret, Attributes: attrs, Affiliation: aff})
	if fabricca.HasCode(err, fabricca.CodeDuplicateRegistration) {
		err = ca.SetSecret(ctx, reg, id, secret)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("registering %s with %s of %s: %w", id, caName, is.org.MSPID, err)
	}
	key, csr, err := is.request(id, hosts...)
	if err != nil {
		return nil, nil, err
	}
	e, err := ca.Enroll(ctx, id, secret, csr, fabricca.WithProfile(profile), fabricca.WithHosts(hosts...))
	if err != nil {
		return nil, nil, fmt.Errorf("enrolling %s with %s of %s: %w", id, caName, is.org.MSPID, err)
	}
	return key, e, nil
}

// issueMSP writes id's MSP folder: the NodeOU config.yaml and the enrollment (writeMSP).
func (is *Issuer) issueMSP(ctx context.Context, id identity) error {
	key, e, err := is.enroll(ctx, SigningCA, id.id, id.mspType, id.aff, "", nil, id.attrs)
	if err != nil {
		return err
	}
	nodeOUs, err := os.ReadFile(filepath.Join(is.cfg.OrgDir(is.org), "msp", fabricca.MSPConfigFile))
	if err != nil {
		return err
	}
	msp := filepath.Join(id.dir, "msp")
	if err := os.RemoveAll(msp); err != nil {
		return err
	}
	if err := writeFiles(file{filepath.Join(msp, fabricca.MSPConfigFile), nodeOUs, 0o644}); err != nil {
		return err
	}
	return writeMSP(msp, key, e)
}

// writeMSP writes an enrollment as an MSP folder (fabricca.WriteMSP: the key, the CA chain and, last, since its
// presence means complete, the certificate).
func writeMSP(dir string, key *ecdsa.PrivateKey, e *fabricca.Enrollment) error {
	keyPEM, err := fabricca.MarshalPrivateKey(key)
	if err != nil {
		return err
	}
	return fabricca.WriteMSP(dir, keyPEM, e.CAChainPEM, e.CertificatePEM)
}

// issueTLS writes id's tls/: ca.crt, the key and, last, the certificate (server.* or client.*).
func (is *Issuer) issueTLS(ctx context.Context, id identity) error {
	key, e, err := is.enroll(ctx, TLSCA, id.id, TypeClient, "", "tls", id.hosts, nil)
	if err != nil {
		return err
	}
	keyPEM, err := fabricca.MarshalPrivateKey(key)
	if err != nil {
		return err
	}
	dir := filepath.Join(id.dir, "tls")
	return writeFiles(
		file{filepath.Join(dir, "ca.crt"), e.CAChainPEM, 0o644},
		file{filepath.Join(dir, string(id.side)+".key"), keyPEM, 0o600},
		file{filepath.Join(dir, string(id.side)+".crt"), e.CertificatePEM, 0o644},
	)
}

func randomSecret() (string, error) {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

type file struct {
	path string
	data []byte
	mode os.FileMode
}

// writeFiles writes each file in order (folders 0700 or as they are), each whole or not at all
// (atomicfile.WriteIfChanged).
func writeFiles(files ...file) error {
	for _, f := range files {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
			return err
		}
		if _, err := atomicfile.WriteIfChanged(f.path, f.data, f.mode); err != nil {
			return err
		}
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
