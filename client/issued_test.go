package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
)

// issuingCA is a CA that certifies whatever a test tells it to, as a dishonest CA, or a gateway answering in its
// place, could: a certificate of the key of the member's request, for an identity of the test's choosing.
type issuingCA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     *ecdsa.PrivateKey
}

func newIssuingCA(t *testing.T, cn string) *issuingCA {
	der, key := fabricatest.SelfSigned(t, &x509.Certificate{Subject: pkix.Name{CommonName: cn, Organization: []string{"test"}},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign})
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return &issuingCA{cert: cert, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), key: key}
}

// issued is a certificate as Fabric CA issues it to a client identity of the members affiliation: of pub, its
// subject the request's (CN and other names) with the identity's type and affiliation as OUs, certifying attrs.
type issued struct {
	pub     any
	subject pkix.Name
	attrs   map[string]string
}

// issue signs c, after change (nil: none) altered it.
func (ca *issuingCA) issue(t *testing.T, c issued, change func(*issued)) []byte {
	t.Helper()
	c.subject.OrganizationalUnit = []string{"client", model.MembersAffiliation}
	if change != nil {
		change(&c)
	}
	ext, err := json.Marshal(map[string]any{"attrs": c.attrs})
	require.NoError(t, err)
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	require.NoError(t, err)
	der, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{SerialNumber: serial, Subject: c.subject,
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtraExtensions: []pkix.Extension{{Id: fabricca.AttributesOID, Value: ext}}}, ca.cert, c.pub, ca.key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// signingRequest is the CSR in a PEM: its key and subject.
func signingRequest(t *testing.T, csrPEM []byte) *x509.CertificateRequest {
	t.Helper()
	block, _ := pem.Decode(csrPEM)
	require.NotNil(t, block, "no CSR")
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	require.NoError(t, err)
	require.NoError(t, csr.CheckSignature())
	return csr
}

const (
	enrollingUSCC = "91310000MA1FL1800B"
	otherUSCC     = "91310000MA1FL1900X"
)

// registered are the attributes onboarding has the CA certify for enrollingUSCC, with Fabric CA's own.
func registered() map[string]string {
	return map[string]string{"hf.EnrollmentID": enrollingUSCC, "hf.Type": "client", "hf.Affiliation": model.MembersAffiliation,
		model.AttrUSCC: enrollingUSCC, model.AttrRoles: "holder", model.AttrLegalName: "Shanghai Data Holdings Co., Ltd.", model.AttrDivision: "310115"}
}

// otherIdentity is a way a certificate of the member's own key can be of another identity than the one it enrolls
// or renews, with what its refusal must name.
type otherIdentity struct {
	name   string
	change func(*issued)
	names  []string
}

// anotherIdentity are the ways that apply to a first enrollment and to a renewal alike.
var anotherIdentity = []otherIdentity{
	{"another CN", func(c *issued) { c.subject.CommonName = otherUSCC }, []string{otherUSCC, enrollingUSCC}},
	{"another certified USCC", func(c *issued) { c.attrs[model.AttrUSCC] = otherUSCC }, []string{model.AttrUSCC, otherUSCC}},
	{"another certified enrollment ID", func(c *issued) { c.attrs["hf.EnrollmentID"] = otherUSCC }, []string{"hf.EnrollmentID", otherUSCC}},
}

// dishonestCA answers a certificate of the request's key as issue makes it from registered(), signed by ca after
// change; a test sets both between requests.
type dishonestCA struct {
	mu     sync.Mutex
	ca     *issuingCA
	change func(*issued)
}

func (d *dishonestCA) set(ca *issuingCA, change func(*issued)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ca, d.change = ca, change
}

// answer is the certificate it answers the PEM CSR csrPEM with, and its CA's certificate.
func (d *dishonestCA) answer(t *testing.T, csrPEM []byte) (cert, caCert []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	csr := signingRequest(t, csrPEM)
	return d.ca.issue(t, issued{pub: csr.PublicKey, subject: csr.Subject, attrs: registered()}, d.change), d.ca.certPEM
}

// A gateway (or the CA behind it) that answers a certificate of the member's key for another identity than the
// enrollment ID asked for is caught: the member would otherwise sign as that identity without noticing.
func TestEnrollRefusesACertificateOfAnotherIdentity(t *testing.T) {
	d := &dishonestCA{ca: newIssuingCA(t, "ca.test")}
	g := newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		var req struct{ CSR string }
		require.NoError(t, json.Unmarshal(body, &req))
		cert, chain := d.answer(t, []byte(req.CSR))
		reply(w, http.StatusOK, map[string]string{"certificate": string(cert), "caChain": string(chain), "mspId": "ShanghaiMSP"})
	})

	e, err := g.c.Members().Enroll(context.Background(), enrollingUSCC, "s3cret")
	require.NoError(t, err, "the identity asked for")
	attrs, err := e.Attributes()
	require.NoError(t, err)
	assert.Equal(t, enrollingUSCC, attrs[model.AttrUSCC])

	for _, c := range anotherIdentity {
		t.Run(c.name, func(t *testing.T) {
			d.set(d.ca, c.change)
			_, err := g.c.Members().Enroll(context.Background(), enrollingUSCC, "s3cret")
			require.Error(t, err)
			for _, name := range c.names {
				assert.Contains(t, err.Error(), name)
			}
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

// A CA (or whoever answers in its place) that renews a member's certificate with one of the member's new key but
// of another identity (another CN, subject, issuer or certified attribute) is caught; an honest renewal keeps the
// subject, names included, that the member enrolled with.
func TestReenrollRefusesACertificateOfAnotherIdentity(t *testing.T) {
	ca := newIssuingCA(t, "ca.test")
	d := &dishonestCA{ca: ca}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Request string `json:"certificate_request"`
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		cert, chain := d.answer(t, []byte(req.Request))
		reply(w, http.StatusOK, map[string]any{"success": true, "errors": []any{}, "messages": []any{}, "result": map[string]any{
			"Cert": base64.StdEncoding.EncodeToString(cert), "ServerInfo": map[string]string{"CAName": "ca", "CAChain": base64.StdEncoding.EncodeToString(chain)}}})
	}))
	t.Cleanup(srv.Close)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	current := &Enrollment{Key: key, Signer: key, MSPID: "ShanghaiMSP",
		CAChainPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), // its TLS
		CertificatePEM: ca.issue(t, issued{pub: &key.PublicKey, attrs: registered(),
			subject: pkix.Name{CommonName: enrollingUSCC, Country: []string{"CN"}, Locality: []string{"Shanghai"}}}, nil)}

	next, err := current.Reenroll(context.Background(), srv.URL)
	require.NoError(t, err, "an honest renewal")
	assert.Equal(t, fabricatest.Certificate(t, current.CertificatePEM).Subject.String(), fabricatest.Certificate(t, next.CertificatePEM).Subject.String(),
		"the request named the current subject")

	renewals := append(append([]otherIdentity{}, anotherIdentity...),
		otherIdentity{"another subject", func(c *issued) { c.subject.Locality = []string{"Hangzhou"} }, []string{"Hangzhou", "Shanghai"}},
		otherIdentity{"no certified USCC", func(c *issued) { delete(c.attrs, model.AttrUSCC) }, []string{model.AttrUSCC, "nothing", enrollingUSCC}},
		otherIdentity{"other certified roles", func(c *issued) { c.attrs[model.AttrRoles] = "holder,buyer" }, []string{model.AttrRoles, `"holder,buyer"`, `"holder"`}},
	)
	for _, c := range renewals {
		t.Run(c.name, func(t *testing.T) {
			d.set(ca, c.change)
			_, err := current.Reenroll(context.Background(), srv.URL)
			require.Error(t, err)
			for _, name := range c.names {
				assert.Contains(t, err.Error(), name)
			}
		})
	}
	t.Run("another issuer", func(t *testing.T) {
		d.set(newIssuingCA(t, "ca.elsewhere.test"), nil)
		_, err := current.Reenroll(context.Background(), srv.URL)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "ca.elsewhere.test")
		assert.Contains(t, err.Error(), "CN=ca.test")
	})
}

// A renewal at a CA that answers as Fabric CA does passes the checks: the certificate of an onboarded member
// (members affiliation, its type and affiliation as OUs the CA sets, hf.EnrollmentID, hf.Type and hf.Affiliation
// besides the attributes onboarding certifies) is renewed, and the renewal renewed again, each of the same subject
// and certified identity.
func TestAFabricCARenewalOfAnOnboardedMemberPasses(t *testing.T) {
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: enrollingUSCC, Secret: "s3cret", Type: "client", Affiliation: model.MembersAffiliation,
		Attributes: []fabricca.Attribute{{Name: model.AttrUSCC, Value: enrollingUSCC, ECert: true}, {Name: model.AttrRoles, Value: "holder,buyer", ECert: true},
			{Name: model.AttrLegalName, Value: "上海数据控股有限公司", ECert: true}, {Name: model.AttrDivision, Value: "310115", ECert: true},
			{Name: "deltaledger.invitation", Value: "2"}}})
	e, err := enrollingGateway(t, ca, false).c.Members().Enroll(context.Background(), enrollingUSCC, "s3cret")
	require.NoError(t, err)
	// The CA's TLS certificate joins the chain the member verifies the CA with.
	e.CAChainPEM = append(e.CAChainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Server.Certificate().Raw})...)
	first := fabricatest.Certificate(t, e.CertificatePEM)
	assert.Equal(t, []string{"client", model.MembersAffiliation}, first.Subject.OrganizationalUnit)

	for i := range 2 {
		next, err := e.Reenroll(context.Background(), ca.URL)
		require.NoError(t, err, "renewal %d", i+1)
		renewed := fabricatest.Certificate(t, next.CertificatePEM)
		assert.Equal(t, first.Subject.String(), renewed.Subject.String())
		attrs, err := next.Attributes()
		require.NoError(t, err)
		assert.Equal(t, enrollingUSCC, attrs["hf.EnrollmentID"])
		assert.Equal(t, "holder,buyer", attrs[model.AttrRoles])
		next.CAChainPEM = e.CAChainPEM
		e = next
	}
}
