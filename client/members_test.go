package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
)

// enrollingGateway answers POST /v1/members/enroll by enrolling the request's CSR at ca, as the gateway does;
// with swap it answers a certificate of another key instead, as a dishonest gateway could.
func enrollingGateway(t *testing.T, ca *fabricatest.Server, swap bool) *gw {
	caClient := ca.Client()
	return newGW(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		var req struct{ EnrollmentID, Secret, CSR string }
		require.NoError(t, json.Unmarshal(body, &req))
		csr := []byte(req.CSR)
		if swap {
			other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
			csr, _ = fabricca.CertificateRequest(other, req.EnrollmentID, pkix.Name{})
		}
		e, err := caClient.Enroll(r.Context(), req.EnrollmentID, req.Secret, csr)
		if err != nil {
			reply(w, http.StatusUnauthorized, map[string]string{"code": "UNAUTHENTICATED", "message": err.Error()})
			return
		}
		reply(w, http.StatusOK, map[string]string{"certificate": string(e.CertificatePEM), "caChain": string(e.CAChainPEM), "mspId": "JiangsuMSP"})
	})
}

// enrolledMember is the enrollment of a member of a test CA (an enterprise's USCC, a client identity of no
// attributes), enrolled through an honest gateway.
func enrolledMember(t *testing.T) *Enrollment {
	t.Helper()
	const uscc = "91310000MA1FL1800B"
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: uscc, Secret: "s3cret", Type: "client"})
	e, err := enrollingGateway(t, ca, false).c.Members().Enroll(context.Background(), uscc, "s3cret")
	require.NoError(t, err)
	return e
}

func TestEnrollGeneratesTheKeyHereAndChecksTheCertificateIsOfIt(t *testing.T) {
	const uscc = "91310000MA1FL1800B"
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: uscc, Secret: "s3cret", Type: "client", MaxEnrollments: 1,
		Attributes: []fabricca.Attribute{{Name: model.AttrUSCC, Value: uscc, ECert: true}, {Name: model.AttrRoles, Value: "holder", ECert: true}}})
	g := enrollingGateway(t, ca, false)

	e, err := g.c.Members().Enroll(context.Background(), uscc, "s3cret")
	require.NoError(t, err)
	var sent map[string]string
	require.NoError(t, json.Unmarshal(g.last().Body, &sent))
	assert.NotContains(t, sent["csr"], "PRIVATE KEY")
	assert.Equal(t, []string{"csr", "enrollmentId", "secret"}, keys(sent), "only the request leaves the machine")
	attrs, err := e.Attributes()
	require.NoError(t, err)
	assert.Equal(t, uscc, attrs[model.AttrUSCC])
	assert.Equal(t, "JiangsuMSP", e.MSPID)

	dir := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, e.WriteMSP(dir))
	info, err := os.Stat(filepath.Join(dir, "keystore", "priv_sk"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	b, err := os.ReadFile(filepath.Join(dir, "keystore", "priv_sk"))
	require.NoError(t, err)
	key, err := fabricca.ParsePrivateKey(b)
	require.NoError(t, err)
	assert.True(t, key.Equal(e.Key))
	assert.Error(t, e.WriteMSP(dir), "an existing key is never overwritten")

	_, err = g.c.Members().Enroll(context.Background(), uscc, "s3cret")
	assert.Error(t, err, "the secret enrolled once")
	assert.Len(t, g.requests(), 2, "never retried")
}

func TestEnrollRefusesACertificateOfAnotherKey(t *testing.T) {
	const uscc = "91310000MA1FL1800B"
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: uscc, Secret: "s3cret", Type: "client"})
	_, err := enrollingGateway(t, ca, true).c.Members().Enroll(context.Background(), uscc, "s3cret")
	assert.ErrorContains(t, err, "not of the key generated here")
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Another user who may write the member's MSP folder, or a folder of it, could put a certificate and key of their
// own in the member's place: the SDK writes no enrollment there, and changes nothing.
func TestTheMSPFolderMustBeTheMembersOwn(t *testing.T) {
	e := enrolledMember(t)

	open := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, os.Mkdir(open, 0o700))
	require.NoError(t, os.Chmod(open, 0o777))
	assert.ErrorContains(t, e.WriteMSP(open), "may be written by other users")
	entries, err := os.ReadDir(open)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written")

	mine := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, e.WriteMSP(mine))
	info, err := os.Stat(mine)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), info.Mode().Perm(), "a folder the SDK makes is the member's alone")
	keystore := filepath.Join(mine, "keystore")
	require.NoError(t, os.Chmod(keystore, 0o775))
	assert.ErrorContains(t, e.ReplaceMSP(mine), "may be written by other users")
	read, err := ReadMSP(mine)
	require.NoError(t, err)
	assert.True(t, read.Key.Equal(e.Key), "the key stays")
}

func TestReplaceMSPSwapsKeyAndCertificateThatReadMSPReads(t *testing.T) {
	const uscc = "91310000MA1FL1800B"
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: uscc, Secret: "s3cret", Type: "client"})
	g := enrollingGateway(t, ca, false)
	first, err := g.c.Members().Enroll(context.Background(), uscc, "s3cret")
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, first.WriteMSP(dir))
	read, err := ReadMSP(dir)
	require.NoError(t, err)
	assert.True(t, read.Key.Equal(first.Key))
	assert.Equal(t, first.CertificatePEM, read.CertificatePEM)

	second, err := g.c.Members().Enroll(context.Background(), uscc, "s3cret")
	require.NoError(t, err)
	require.NoError(t, second.ReplaceMSP(dir))
	read, err = ReadMSP(dir)
	require.NoError(t, err)
	assert.True(t, read.Key.Equal(second.Key), "the new key replaced the old")
	assert.Equal(t, second.CertificatePEM, read.CertificatePEM)
	info, err := os.Stat(filepath.Join(dir, "keystore", "priv_sk"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*", "*.new"))
	assert.Empty(t, leftovers)
}

func TestReenrollTalksToTheCAOnlyOverTLS(t *testing.T) {
	e := enrolledMember(t)

	var reached []string
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = append(reached, r.URL.Path+" "+r.Header.Get("Authorization"))
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(plain.Close)
	_, err := e.Reenroll(context.Background(), plain.URL)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "https")
	assert.Empty(t, reached, "no request, and no token signed with the member's key, goes to a CA without TLS")

	// A CA URL written as fabric-ca-client takes one, with the enrollment secret in it: refused, never repeated.
	for _, withSecret := range []string{"http://acme:s3cret@127.0.0.1:7054", "https://acme:s3cret@127.0.0.1:port"} {
		_, err = e.Reenroll(context.Background(), withSecret)
		require.Error(t, err, withSecret)
		assert.NotContains(t, err.Error(), "s3cret", withSecret)
	}
}
