package main

import (
	"crypto/x509"
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

// lostBinding re-enrolls the member of the MSP folder dir while the gateway loses the ledger's answer to the
// binding of the new key (504 OUTCOME_UNKNOWN: the transaction may still commit). It answers the certificate sent
// to the ledger and what the command wrote to stderr.
func lostBinding(t *testing.T, dir string, ca *fabricatest.Server) (sent []byte, stderr string) {
	t.Helper()
	f := newFake(t, false)
	f.on("POST /v1/participants/me/key", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sent = []byte(body["certificatePem"])
		jsonAnswer(w, 504, map[string]string{"code": "OUTCOME_UNKNOWN", "message": "the commit was not seen in time", "transaction_id": "ab12"})
	})
	code, _, errOut := asFolderMember(t, f, dir, "reenroll", "--ca", ca.URL, "--msp-dir", dir)
	require.Equal(t, 9, code, errOut)
	require.NotEmpty(t, sent, "the binding was sent")
	return sent, errOut
}

// pendingFiles is what the pending folder of the MSP folder dir holds: its key and its certificate.
func pendingFiles(t *testing.T, dir string) (key, cert []byte) {
	t.Helper()
	return folderFiles(t, filepath.Join(dir, client.MSPPendingDir))
}

// folderState is what an MSP folder holds while a re-enrollment is pending: its key and certificate and the
// pending ones.
type folderState struct{ key, cert, pendingKey, pendingCert []byte }

// stateOf reads the folderState of the MSP folder dir.
func stateOf(t *testing.T, dir string) folderState {
	t.Helper()
	var s folderState
	s.key, s.cert = folderFiles(t, dir)
	s.pendingKey, s.pendingCert = pendingFiles(t, dir)
	return s
}

// bindingGateway is a gateway whose ledger binds the key of the certificate bound (PEM): GET /v1/participants/me
// answers the record to a member presenting a certificate of that key, and refuses another key (403), as the
// chaincode's caller resolution does. It answers the gateway and its TLS CA file.
func bindingGateway(t *testing.T, bound []byte) (*fakeGateway, string) {
	t.Helper()
	boundCert, err := fabricca.ParseCertificate(bound)
	require.NoError(t, err)
	f := newFake(t, true)
	f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
			jsonAnswer(w, 401, map[string]string{"code": "UNAUTHENTICATED", "message": "no certificate"})
			return
		}
		if model.KeyDigest(r.TLS.PeerCertificates[0]) != model.KeyDigest(boundCert) {
			jsonAnswer(w, 403, map[string]string{"code": "FORBIDDEN", "message": "a certificate of another key than the bound one"})
			return
		}
		jsonAnswer(w, 200, map[string]any{"id": "jiangsu.e1", "status": "ACTIVE", "keySha256": model.KeyDigest(boundCert)})
	})
	return f, gatewayCAFile(t, f)
}

// gatewayCAFile writes the fake gateway's TLS certificate to a file, for --cacert.
func gatewayCAFile(t *testing.T, f *fakeGateway) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "gateway-ca.pem")
	require.NoError(t, os.WriteFile(file, certPEMOf(f.srv.Certificate()), 0o644))
	return file
}

// resume runs 'reenroll --resume' on the MSP folder dir as its member, who signs its own calls, through the TLS
// gateway f.
func resume(t *testing.T, f *fakeGateway, caFile, dir string) (code int, stdout, stderr string) {
	t.Helper()
	return cli(t, nil, "--gateway", f.srv.URL, "--cacert", caFile, "--client-cert", filepath.Join(dir, client.MSPCertFile),
		"--key", filepath.Join(dir, client.MSPKeyFile), "-o", "json", "reenroll", "--resume", "--msp-dir", dir)
}

// When the ledger's answer to the binding is lost, the new key and certificate stay pending in the folder (the key
// mode 600), beside the current ones, which the folder keeps; the error names the command that settles it.
func TestReenrollKeepsTheNewKeyPendingWhenTheBindingsAnswerIsLost(t *testing.T) {
	dir, ca := enrolledFolder(t)
	keyBefore, certBefore := folderFiles(t, dir)
	sent, errOut := lostBinding(t, dir, ca)
	assert.Contains(t, errOut, "deltaledger reenroll --resume --msp-dir "+dir)
	keyKept, certKept := folderFiles(t, dir)
	assert.Equal(t, keyBefore, keyKept, "the folder keeps the current key")
	assert.Equal(t, certBefore, certKept)

	pending, err := client.ReadPendingMSP(dir)
	require.NoError(t, err)
	assert.True(t, sameCertificate(sent, pending.CertificatePEM), "the pending certificate is the one sent to the ledger")
	cert, err := fabricca.ParseCertificate(pending.CertificatePEM)
	require.NoError(t, err)
	assert.True(t, pending.Key.PublicKey.Equal(cert.PublicKey), "the pending key is the certificate's")
	info, err := os.Stat(filepath.Join(dir, client.MSPPendingDir, client.MSPKeyFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

// A re-enrollment is refused while one is pending, before the CA or the ledger is asked anything, with --ca-only
// too: the pending key may be the one the ledger binds. The refusal names the command that settles it.
func TestReenrollIsRefusedWhileAReenrollmentIsPending(t *testing.T) {
	dir, ca := enrolledFolder(t)
	lostBinding(t, dir, ca)
	before := stateOf(t, dir)
	f := newFake(t, false)
	for _, extra := range [][]string{nil, {"--ca-only"}} {
		code, _, errOut := asFolderMember(t, f, dir, append([]string{"reenroll", "--ca", ca.URL, "--msp-dir", dir}, extra...)...)
		assert.Equal(t, 2, code, "%v: %s", extra, errOut)
		assert.Contains(t, errOut, "deltaledger reenroll --resume --msp-dir "+dir)
	}
	assert.Zero(t, f.count(), "nothing asked of the ledger")
	assert.Equal(t, before, stateOf(t, dir), "the folder's key and the pending one are kept")
}

// resumption is a re-enrollment whose binding's answer was lost, resumed: the folder's and the pending files
// before the resumption, the gateway it asked and what the command answered.
type resumption struct {
	dir            string
	before         folderState
	gateway        *fakeGateway
	code           int
	stdout, stderr string
}

// resumeAfterLostBinding loses the answer to a re-enrollment's binding, then resumes it through a gateway whose
// ledger binds the pending key (bindsPending) or the folder's current one.
func resumeAfterLostBinding(t *testing.T, bindsPending bool) resumption {
	t.Helper()
	dir, ca := enrolledFolder(t)
	lostBinding(t, dir, ca)
	r := resumption{dir: dir, before: stateOf(t, dir)}
	bound := r.before.cert
	if bindsPending {
		bound = r.before.pendingCert
	}
	var caFile string
	r.gateway, caFile = bindingGateway(t, bound)
	r.code, r.stdout, r.stderr = resume(t, r.gateway, caFile, dir)
	return r
}

// When the ledger binds the pending key, --resume installs it in the folder and removes the pending folder.
func TestResumeInstallsTheKeyTheLedgerBinds(t *testing.T) {
	r := resumeAfterLostBinding(t, true)
	require.Equal(t, 0, r.code, r.stderr)
	key, cert := folderFiles(t, r.dir)
	assert.Equal(t, r.before.pendingKey, key, "the bound key is installed")
	assert.Equal(t, r.before.pendingCert, cert)
	assert.NoDirExists(t, filepath.Join(r.dir, client.MSPPendingDir))
	var printed map[string]string
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &printed), r.stdout)
	parsed, err := fabricca.ParseCertificate(r.before.pendingCert)
	require.NoError(t, err)
	assert.Equal(t, model.KeyDigest(parsed), printed["keySha256"])
}

// When the ledger binds the current key (the binding did not commit), --resume discards the pending key after it
// asked with both: the folder keeps its key and certificate, and says so.
func TestResumeDiscardsTheKeyTheLedgerDoesNotBind(t *testing.T) {
	r := resumeAfterLostBinding(t, false)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "discarded")
	key, cert := folderFiles(t, r.dir)
	assert.Equal(t, r.before.key, key, "the folder keeps the bound key")
	assert.Equal(t, r.before.cert, cert)
	assert.NoDirExists(t, filepath.Join(r.dir, client.MSPPendingDir))
	assert.Equal(t, 2, r.gateway.count(), "asked with the pending key, then with the current one")
}

// --resume never guesses: when the ledger cannot be asked (the connection breaks, a proxy answers instead), when
// it refuses both keys (a suspended participant) or binds a third one (its admin rebound it), it changes nothing:
// the folder keeps its key and the pending one stays, for a later --resume.
func TestResumeChangesNothingWhenTheLedgerCannotBeAsked(t *testing.T) {
	dir, ca := enrolledFolder(t)
	lostBinding(t, dir, ca)
	before := stateOf(t, dir)
	third, _ := enrolledFolder(t)
	_, thirdCert := folderFiles(t, third)
	broken := func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		require.NoError(t, err)
		conn.Close()
	}
	for name, answer := range map[string]func(pending bool) http.HandlerFunc{
		"the connection breaks": func(bool) http.HandlerFunc { return broken },
		"the connection breaks on the current key": func(pending bool) http.HandlerFunc {
			if pending {
				return func(w http.ResponseWriter, r *http.Request) {
					jsonAnswer(w, 403, map[string]string{"code": "FORBIDDEN", "message": "another key"})
				}
			}
			return broken
		},
		"a proxy answers": func(bool) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) }
		},
		"the record binds another key": func(pending bool) http.HandlerFunc {
			if pending {
				return func(w http.ResponseWriter, r *http.Request) {
					jsonAnswer(w, 403, map[string]string{"code": "FORBIDDEN", "message": "another key"})
				}
			}
			return func(w http.ResponseWriter, r *http.Request) {
				jsonAnswer(w, 200, map[string]any{"id": "jiangsu.e1", "keySha256": "ff01"})
			}
		},
		"both keys refused": func(bool) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				jsonAnswer(w, 403, map[string]string{"code": "FORBIDDEN", "message": "suspended"})
			}
		},
	} {
		f := newFake(t, true)
		f.on("GET /v1/participants/me", func(w http.ResponseWriter, r *http.Request) {
			answer(sameCertificate(certPEMOf(r.TLS.PeerCertificates[0]), before.pendingCert))(w, r)
		})
		code, _, errOut := resume(t, f, gatewayCAFile(t, f), dir)
		assert.NotEqual(t, 0, code, "%s: %s", name, errOut)
		assert.Contains(t, errOut, "nothing was changed", name)
	}
	rebound, reboundCA := bindingGateway(t, thirdCert)
	code, _, errOut := resume(t, rebound, reboundCA, dir)
	assert.NotEqual(t, 0, code, errOut)
	assert.Contains(t, errOut, "rebind-key")
	assert.Equal(t, before, stateOf(t, dir), "the folder's key and the pending one are kept")
}

// certPEMOf encodes a certificate as PEM.
func certPEMOf(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
