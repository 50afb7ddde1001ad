package market

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	mathrand "math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/benchsteps"
)

// everyChain is the search chain made before it went breadth first, kept as
// the reference it must answer as: it follows every chain of at most hops
// more intermediates, in the order the rules list them.
func everyChain(c *CAs, child *caCert, at time.Time, hops int, issued func(parent, child *caCert) bool) (found, inForce bool) {
	for _, root := range c.roots {
		if issued(root, child) {
			found = true
			if checkDates(root.cert, at) == nil {
				return true, true
			}
		}
	}
	if hops == 0 {
		return found, false
	}
	for _, inter := range c.intermediates {
		if !issued(inter, child) {
			continue
		}
		up, upInForce := everyChain(c, inter, at, hops-1, issued)
		found = found || up
		if upInForce && checkDates(inter.cert, at) == nil {
			return true, true
		}
	}
	return found, false
}

// caName is a CA's subject and key: a certificate it issues names it as its
// issuer and is signed by its key, so that every certificate of the same
// name issues it (issues).
type caName struct {
	subject pkix.Name
	key     *ecdsa.PrivateKey
}

func newCAName(t testing.TB, commonName string) caName {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	return caName{subject: pkix.Name{CommonName: commonName, Organization: []string{"Shanghai"}}, key: key}
}

// validity is a certificate's dates relative to the transaction time.
type validity int

const (
	valid validity = iota
	expired
	notYetValid
)

func (v validity) dates(at time.Time) (notBefore, notAfter time.Time) {
	switch v {
	case expired:
		return at.Add(-2 * time.Hour), at.Add(-time.Hour)
	case notYetValid:
		return at.Add(time.Hour), at.Add(2 * time.Hour)
	}
	return at.Add(-time.Hour), at.Add(time.Hour)
}

// certificate is a certificate with subject's name and key issued by
// issuer, valid v at at: a CA's unless it is a leaf.
func certificate(t testing.TB, subject, issuer caName, v validity, at time.Time, leaf bool) *x509.Certificate {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	require.NoError(t, err)
	notBefore, notAfter := v.dates(at)
	template := &x509.Certificate{
		SerialNumber: serial, Subject: subject.subject, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	if !leaf {
		template.KeyUsage |= x509.KeyUsageCertSign
		template.BasicConstraintsValid, template.IsCA = true, true
	}
	der, err := x509.CreateCertificate(rand.Reader, template, &x509.Certificate{Subject: issuer.subject}, &subject.key.PublicKey, issuer.key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

func pemOf(cert *x509.Certificate) string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
}

func caCertOf(cert *x509.Certificate) *caCert {
	return &caCert{cert: cert, sum: sha256.Sum256(cert.Raw)}
}

// The breadth-first search answers as the search of every chain did, found
// and in force alike, on many small generated lists of an org's CA
// certificates: a few CA names, so that certificates issue one another in
// cycles and several ways, roots and intermediates in force, expired or not
// yet valid, and the same certificate listed twice, as intermediate and
// root, or as the leaf's own.
func TestChainAnswersAsEveryChainDid(t *testing.T) {
	at := time.Now().Truncate(time.Second)
	random := mathrand.New(mathrand.NewSource(32))
	names := make([]caName, 4)
	for i := range names {
		names[i] = newCAName(t, fmt.Sprintf("CA %d", i))
	}
	someValidity := func() validity { return validity(random.Intn(3)) }
	outcomes := map[[2]bool]int{}
	for graph := range 300 {
		pool := names[:2+random.Intn(len(names)-1)]
		someName := func() caName { return pool[random.Intn(len(pool))] }
		var roots, intermediates []string
		for range 1 + random.Intn(2) {
			name := someName()
			issuer := name
			if random.Intn(4) == 0 {
				issuer = someName()
			}
			roots = append(roots, pemOf(certificate(t, name, issuer, someValidity(), at, false)))
		}
		for range random.Intn(7) {
			switch {
			case len(intermediates) > 0 && random.Intn(8) == 0:
				intermediates = append(intermediates, intermediates[random.Intn(len(intermediates))])
			case random.Intn(12) == 0:
				intermediates = append(intermediates, roots[random.Intn(len(roots))])
			default:
				intermediates = append(intermediates, pemOf(certificate(t, someName(), someName(), someValidity(), at, false)))
			}
		}
		leaf := caCertOf(certificate(t, caName{subject: pkix.Name{CommonName: "alice"}, key: names[0].key}, someName(), valid, at, true))
		if len(intermediates) > 0 && random.Intn(10) == 0 {
			leaf = caCertOf(mustParse(intermediates[random.Intn(len(intermediates))]))
		}
		c := casOf("ShanghaiMSP", roots, intermediates)
		wantFound, wantInForce := everyChain(c, leaf, at, len(c.intermediates), issues)
		found, inForce := c.chain(leaf, at, issues)
		require.Equal(t, [2]bool{wantFound, wantInForce}, [2]bool{found, inForce}, "graph %d", graph)
		outcomes[[2]bool{found, inForce}]++
	}
	// The generator makes each answer often, or the comparison tells little.
	for _, answer := range [][2]bool{{true, true}, {true, false}, {false, false}} {
		require.Greater(t, outcomes[answer], 20, "answer %v: %v", answer, outcomes)
	}
}

// selfIssued is an org's CA certificates as a majority could approve them to
// slow every caller of the org down: a root, and model.MaxCertsPerOrg-1
// intermediates valid v with the same subject and key, each of which issues
// every other and itself, but none of which the root issued; and a
// member's certificate under them.
func selfIssued(t testing.TB, v validity, at time.Time) (*CAs, *caCert) {
	root, name := newCAName(t, "Shanghai Root CA"), newCAName(t, "Shanghai Issuing CA")
	intermediates := make([]string, 7)
	for i := range intermediates {
		intermediates[i] = pemOf(certificate(t, name, name, v, at, false))
	}
	c := casOf("ShanghaiMSP", []string{pemOf(certificate(t, root, root, valid, at, false))}, intermediates)
	leaf := certificate(t, caName{subject: pkix.Name{CommonName: "alice"}, key: root.key}, name, valid, at, true)
	return c, caCertOf(leaf)
}

// Judging a certificate under intermediates that all issue one another
// checks at most (1+intermediates)·(roots+intermediates) signatures, in
// force or not, where following every chain checked exponentially many.
func TestChainChecksEachIssuerOnce(t *testing.T) {
	at := time.Now().Truncate(time.Second)
	for _, v := range []validity{valid, expired} {
		c, leaf := selfIssued(t, v, at)
		checks := 0
		counted := func(parent, child *caCert) bool {
			checks++
			return issues(parent, child)
		}
		found, inForce := c.chain(leaf, at, counted)
		require.False(t, found)
		require.False(t, inForce)
		bound := (1 + len(c.intermediates)) * (len(c.roots) + len(c.intermediates))
		require.LessOrEqual(t, checks, bound, "validity %d", v)
		require.ErrorContains(t, c.InForce(leaf.cert, at), "chains to no CA certificate of ShanghaiMSP")
	}
}

// BenchmarkChainSelfIssued measures, in one run, what judging a chain under
// seven self-issued intermediates (selfIssued) that lead to no root costs
// by following every chain, as chain did, and breadth first, as it does
// now, with the process's memory of signatures warm. It reports the
// microseconds of each and their ratio.
//
//	go test -run '^$' -bench ChainSelfIssued ./chaincode/market
func BenchmarkChainSelfIssued(b *testing.B) {
	at := time.Now().Truncate(time.Second)
	c, leaf := selfIssued(b, valid, at)
	everyChain(c, leaf, at, len(c.intermediates), issues) // every signature checked, remembered
	totals := benchsteps.Time(b, time.Microsecond,
		benchsteps.Step{Name: "every-chain", Run: func(int) {
			everyChain(c, leaf, at, len(c.intermediates), issues)
		}},
		benchsteps.Step{Name: "breadth-first", Run: func(int) {
			c.chain(leaf, at, issues)
		}})
	b.ReportMetric(float64(totals[0])/float64(totals[1]), "every/breadth")
}
