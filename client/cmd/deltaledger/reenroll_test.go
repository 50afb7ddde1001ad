package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
)

// enrolledFolder enrolls a member at a test Fabric CA and writes its MSP folder; it answers the folder and the CA.
func enrolledFolder(t *testing.T) (string, *fabricatest.Server) {
	t.Helper()
	const uscc = "91320500MA1FL1700R"
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: uscc, Secret: "s3cret", Type: "client",
		Attributes: []fabricca.Attribute{{Name: model.AttrUSCC, Value: uscc, ECert: true}}})
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, uscc, pkix.Name{CommonName: uscc})
	require.NoError(t, err)
	issued, err := ca.Client().Enroll(context.Background(), uscc, "s3cret", csr)
	require.NoError(t, err)
	// The CA's TLS certificate joins the chain the member verifies the CA with.
	chain := append(issued.CAChainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Server.Certificate().Raw})...)
	dir := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, (&client.Enrollment{Key: key, Signer: key, CertificatePEM: issued.CertificatePEM, CAChainPEM: chain}).WriteMSP(dir))
	return dir, ca
}

// folderFiles is what the MSP folder holds: its key and its certificate.
func folderFiles(t *testing.T, dir string) (key, cert []byte) {
	t.Helper()
	key, err := os.ReadFile(filepath.Join(dir, client.MSPKeyFile))
	require.NoError(t, err)
	cert, err = os.ReadFile(filepath.Join(dir, client.MSPCertFile))
	require.NoError(t, err)
	return key, cert
}

// asFolderMember runs the command line as the member of the MSP folder dir, signing with its current key; the call
// reaches the fake gateway as a plain request (the signing steps are the SDK's, tested there).
func asFolderMember(t *testing.T, f *fakeGateway, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	plain, err := client.New(f.srv.URL, client.WithAPIKey("k"))
	require.NoError(t, err)
	flags := []string{"--gateway", f.srv.URL, "--client-cert", filepath.Join(dir, client.MSPCertFile), "--key", filepath.Join(dir, client.MSPKeyFile)}
	return cliWith(t, context.Background(), nil, func(a *app) { a.client = plain }, append(flags, args...)...)
}

// reenroll re-enrolls a participant: the new key is bound on the ledger (POST /v1/participants/me/key) with the
// certificate the CA issued for it, and only then written to the folder; a refusal of the ledger writes nothing.
func TestReenrollBindsTheNewKeyOnTheLedgerBeforeWritingIt(t *testing.T) {
	dir, ca := enrolledFolder(t)
	f := newFake(t, false)
	keyBefore, certBefore := folderFiles(t, dir)
	// The ledger refuses (here: the certificate is of another enterprise): the folder keeps its key and certificate.
	f.on("POST /v1/participants/me/key", func(w http.ResponseWriter, r *http.Request) {
		jsonAnswer(w, 400, map[string]string{"code": "INVALID_ARGUMENT", "field": "certificatePem", "message": "certifies another enterprise"})
	})
	code, _, errOut := asFolderMember(t, f, dir, "reenroll", "--ca", ca.URL, "--msp-dir", dir)
	require.NotEqual(t, 0, code)
	assert.Contains(t, errOut, "nothing was written")
	assert.Contains(t, errOut, "certifies another enterprise")
	keyKept, certKept := folderFiles(t, dir)
	assert.Equal(t, keyBefore, keyKept)
	assert.Equal(t, certBefore, certKept)
	assert.NoDirExists(t, filepath.Join(dir, client.MSPPendingDir), "a refused key is discarded")

	var bound []byte
	var out string
	f.on("POST /v1/participants/me/key", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		bound = []byte(body["certificatePem"])
		block, _ := pem.Decode(bound)
		require.NotNil(t, block)
		keyOnDisk, certOnDisk := folderFiles(t, dir)
		assert.Equal(t, keyBefore, keyOnDisk, "nothing written before the ledger answered")
		assert.Equal(t, certBefore, certOnDisk)
		submitted(map[string]any{"id": "jiangsu.e1", "keySha256": "ab12"})(w, r)
	})
	code, out, errOut = asFolderMember(t, f, dir, "-o", "json", "reenroll", "--ca", ca.URL, "--msp-dir", dir)
	require.Equal(t, 0, code, errOut)
	keyAfter, certAfter := folderFiles(t, dir)
	assert.NotEqual(t, keyBefore, keyAfter, "a new key")
	assert.False(t, sameCertificate(certBefore, certAfter))
	assert.True(t, sameCertificate(bound, certAfter), "the certificate bound on the ledger is the one written")
	assert.NoDirExists(t, filepath.Join(dir, client.MSPPendingDir), "the bound key is installed")
	var printed map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &printed), out)
	assert.Equal(t, "ab12", printed["keySha256"])
}

// Without a way to reach the ledger as the folder's member, reenroll refuses before it asks the CA for anything,
// unless --ca-only says the enrollment is no participant yet; a member named by other credentials than the
// folder's certificate is refused too. With --ca-only the enrollment rotates at the CA alone, asking nothing of the
// ledger, whatever gateway is named.
func TestReenrollTellsAParticipantFromAnEnrollmentThatIsNoneYet(t *testing.T) {
	dir, ca := enrolledFolder(t)
	keyBefore, certBefore := folderFiles(t, dir)
	code, _, errOut := cli(t, nil, "reenroll", "--ca", ca.URL, "--msp-dir", dir)
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, "--ca-only")
	other, otherCA := enrolledFolder(t)
	f := newFake(t, false)
	code, _, errOut = cli(t, nil, "--gateway", f.srv.URL, "--client-cert", filepath.Join(other, client.MSPCertFile), "--key", filepath.Join(other, client.MSPKeyFile),
		"reenroll", "--ca", ca.URL, "--msp-dir", dir)
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, "another certificate")
	keyKept, certKept := folderFiles(t, dir)
	assert.Equal(t, keyBefore, keyKept)
	assert.Equal(t, certBefore, certKept)
	assert.Zero(t, f.count())

	code, _, errOut = asFolderMember(t, f, dir, "reenroll", "--ca", ca.URL, "--msp-dir", dir, "--ca-only")
	require.Equal(t, 0, code, errOut)
	keyAfter, _ := folderFiles(t, dir)
	assert.NotEqual(t, keyBefore, keyAfter)
	assert.Zero(t, f.count(), "--ca-only asks nothing of the ledger")

	code, _, errOut = cli(t, nil, "reenroll", "--ca", otherCA.URL, "--msp-dir", other, "--ca-only")
	require.Equal(t, 0, code, "no gateway named: the CA alone: %s", errOut)
}

// `participants rebind-key` sends the member's new certificate, read from the file, and the reason to POST
// /v1/participants/{id}/key; both flags are required.
func TestRebindKeySendsTheCertificateAndTheReason(t *testing.T) {
	dir, _ := enrolledFolder(t)
	_, cert := folderFiles(t, dir)
	f := newFake(t, false)
	f.on("POST /v1/participants/jiangsu.e1/key", submitted(map[string]any{"id": "jiangsu.e1", "keyRebindReason": "enrolled again"}))
	code, _, errOut := cli(t, nil, "--gateway", f.srv.URL, "--api-key", "k", "participants", "rebind-key", "jiangsu.e1",
		"--certificate-file", filepath.Join(dir, client.MSPCertFile), "--reason", "enrolled again")
	require.Equal(t, 0, code, errOut)
	var sent map[string]string
	require.NoError(t, json.Unmarshal(f.last().Body, &sent))
	assert.Equal(t, map[string]string{"certificatePem": string(cert), "reason": "enrolled again"}, sent)

	for _, args := range [][]string{
		{"participants", "rebind-key", "jiangsu.e1", "--certificate-file", filepath.Join(dir, client.MSPCertFile)},
		{"participants", "rebind-key", "jiangsu.e1", "--reason", "lost"},
		{"participants", "rebind-key", "jiangsu.e1", "--certificate-file", filepath.Join(dir, "none.pem"), "--reason", "lost"},
	} {
		code, _, errOut := cli(t, nil, append([]string{"--gateway", f.srv.URL, "--api-key", "k"}, args...)...)
		assert.Equal(t, 2, code, "%v: %s", args, errOut)
	}
	assert.Equal(t, 1, f.count(), "nothing more reached the gateway")
}

// A record registered before keys were bound binds no key: the ledger refuses the member's own binding and names
// participants:RebindKey, its org admin's. reenroll says so: the admin rebinds the current certificate, whose file
// it names, then the member re-enrolls again; it does not suggest --ca-only. Another refusal says no more than the
// ledger did.
func TestReenrollRefusedAFirstKeyNamesTheAdminsRebinding(t *testing.T) {
	dir, ca := enrolledFolder(t)
	before := func() [2][]byte { k, c := folderFiles(t, dir); return [2][]byte{k, c} }()
	f := newFake(t, false)
	refuse := func(message string) string {
		f.on("POST /v1/participants/me/key", func(w http.ResponseWriter, r *http.Request) {
			jsonAnswer(w, 403, map[string]string{"code": "FORBIDDEN", "message": message})
		})
		code, _, errOut := asFolderMember(t, f, dir, "reenroll", "--ca", ca.URL, "--msp-dir", dir)
		require.NotEqual(t, 0, code, errOut)
		assert.Contains(t, errOut, "nothing was written")
		k, c := folderFiles(t, dir)
		assert.Equal(t, before, [2][]byte{k, c}, "the folder keeps its key")
		assert.NoDirExists(t, filepath.Join(dir, client.MSPPendingDir))
		return errOut
	}
	errOut := refuse(`participant "jiangsu.e1" binds no key yet: its first key is bound by an admin of its org with participants:RebindKey`)
	assert.Contains(t, errOut, "deltaledger participants rebind-key ID --certificate-file FILE --reason REASON")
	assert.Contains(t, errOut, filepath.Join(dir, client.MSPCertFile), "the current certificate, for the admin")
	assert.Contains(t, errOut, "then run 'deltaledger reenroll' again")
	assert.NotContains(t, errOut, "--ca-only")

	errOut = refuse(`participant "jiangsu.e1" is SUSPENDED`)
	assert.NotContains(t, errOut, "rebind-key")
}
