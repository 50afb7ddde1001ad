package main

import (
	"bytes"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
)

// lostTx is the transaction of a binding whose outcome the gateway lost (lostBinding).
var lostTx = strings.Repeat("ab", 32)

// lostBinding re-enrolls the member of the MSP folder dir while the gateway loses the ledger's answer to the
// binding of the new key (504 OUTCOME_UNKNOWN: transaction lostTx may still commit). It answers the certificate
// sent to the ledger and what the command wrote to stderr.
func lostBinding(t *testing.T, dir string, ca *fabricatest.Server) (sent []byte, stderr string) {
	t.Helper()
	return lostBindingWith(t, dir, ca, outcomeUnknown)
}

// lostBindingWith is lostBinding with the gateway's answer lost.
func lostBindingWith(t *testing.T, dir string, ca *fabricatest.Server, lost http.HandlerFunc) (sent []byte, stderr string) {
	t.Helper()
	f := newFake(t, false)
	f.on("POST /v1/participants/me/key", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sent = []byte(body["certificatePem"])
		lost(w, r)
	})
	code, _, errOut := asFolderMember(t, f, dir, "reenroll", "--ca", ca.URL, "--msp-dir", dir)
	require.NotEqual(t, 0, code, errOut)
	require.Contains(t, errOut, "deltaledger reenroll --resume", "the answer was lost, not refused")
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
// mode 600), beside the current ones, which the folder keeps, with the binding's transaction; the error names the
// command that settles it.
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
	txID, err := client.ReadPendingTransaction(dir)
	require.NoError(t, err)
	assert.Equal(t, lostTx, txID, "the transaction that may still commit is kept with the pending key")
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

// resumeAfterLostBinding loses the answer to a re-enrollment's binding (lost: with lostTx, or naming no
// transaction), then resumes it through a gateway whose ledger binds the pending key (bindsPending) or the folder's
// current one, and reports lostTx committed, valid when it bound the pending key.
func resumeAfterLostBinding(t *testing.T, lost http.HandlerFunc, bindsPending bool) resumption {
	t.Helper()
	return resumeAfterLostBindingWith(t, lost, bindsPending, func([]byte) http.HandlerFunc { return committedIn(bindsPending) })
}

// committedIn reports lostTx committed, valid or not (invalid: the binding bound nothing, and the keys tell the
// rest).
func committedIn(valid bool) http.HandlerFunc {
	code := "MVCC_READ_CONFLICT"
	if valid {
		code = "VALID"
	}
	return func(w http.ResponseWriter, _ *http.Request) {
		jsonAnswer(w, 200, map[string]any{"transaction_id": lostTx, "committed": true, "valid": valid, "code": code, "block_number": 12})
	}
}

// resumeAfterLostBindingWith is resumeAfterLostBinding with the gateway answering the binding's transaction status
// with status(sender), sender the certificate (PEM) the binding was sent with: the folder's current one.
func resumeAfterLostBindingWith(t *testing.T, lost http.HandlerFunc, bindsPending bool, status func(sender []byte) http.HandlerFunc) resumption {
	t.Helper()
	dir, ca := enrolledFolder(t)
	lostBindingWith(t, dir, ca, lost)
	r := resumption{dir: dir, before: stateOf(t, dir)}
	bound := r.before.cert
	if bindsPending {
		bound = r.before.pendingCert
	}
	var caFile string
	r.gateway, caFile = bindingGateway(t, bound)
	r.gateway.on("GET /v1/transactions/"+lostTx, status(r.before.cert))
	r.code, r.stdout, r.stderr = resume(t, r.gateway, caFile, dir)
	return r
}

// outcomeUnknown is the gateway's answer to a binding whose commit it did not see: lostTx may still commit.
func outcomeUnknown(w http.ResponseWriter, _ *http.Request) {
	jsonAnswer(w, 504, map[string]string{"code": "OUTCOME_UNKNOWN", "message": "the commit was not seen in time", "transaction_id": lostTx})
}

// brokenConnection breaks the connection instead of answering.
func brokenConnection(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// When the ledger binds the pending key, --resume installs it in the folder and removes the pending folder: known
// from the binding's transaction, committed valid, or, when the lost answer named no transaction, from the
// ledger's answer to the pending key.
func TestResumeInstallsTheKeyTheLedgerBinds(t *testing.T) {
	for name, lost := range map[string]http.HandlerFunc{"the transaction named": outcomeUnknown, "no transaction named": brokenConnection} {
		r := resumeAfterLostBinding(t, lost, true)
		require.Equal(t, 0, r.code, "%s: %s", name, r.stderr)
		assertInstalled(t, r)
	}
}

// assertInstalled checks that a resumption installed the pending key and printed its digest.
func assertInstalled(t *testing.T, r resumption) {
	t.Helper()
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

// When the ledger binds the current key (the binding's transaction committed invalid, or none was named), --resume
// discards the pending key after it asked with both: the folder keeps its key and certificate, and says so.
func TestResumeDiscardsTheKeyTheLedgerDoesNotBind(t *testing.T) {
	for name, c := range map[string]struct {
		lost http.HandlerFunc
		asks int
	}{
		"committed invalid":    {outcomeUnknown, 3},
		"no transaction named": {brokenConnection, 2},
	} {
		r := resumeAfterLostBinding(t, c.lost, false)
		require.Equal(t, 0, r.code, "%s: %s", name, r.stderr)
		assert.Contains(t, r.stderr, "discarded", name)
		key, cert := folderFiles(t, r.dir)
		assert.Equal(t, r.before.key, key, "%s: the folder keeps the bound key", name)
		assert.Equal(t, r.before.cert, cert, name)
		assert.NoDirExists(t, filepath.Join(r.dir, client.MSPPendingDir), name)
		assert.Equal(t, c.asks, r.gateway.count(), "%s: the transaction's status, if named, then the pending key, then the current one", name)
	}
}

// A binding still on its way when --resume runs may commit after it: until its transaction is committed, --resume
// changes nothing, though the ledger still binds the current key, and says to retry later; nor when the gateway
// does not know the transaction (yet), nor when its status cannot be asked.
func TestResumeWaitsForTheBindingsTransaction(t *testing.T) {
	dir, ca := enrolledFolder(t)
	lostBinding(t, dir, ca)
	before := stateOf(t, dir)
	for name, c := range map[string]struct {
		status http.HandlerFunc
		says   string
	}{
		"in flight": {func(w http.ResponseWriter, _ *http.Request) {
			jsonAnswer(w, 200, map[string]any{"transaction_id": lostTx, "committed": false})
		}, "again later"},
		"not known yet": {func(w http.ResponseWriter, _ *http.Request) {
			jsonAnswer(w, 404, map[string]string{"code": "NOT_FOUND", "message": "unknown transaction"})
		}, "again later"},
		"the connection breaks": {brokenConnection, "once your gateway answers"},
		"a proxy answers": {func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "bad gateway", http.StatusBadGateway)
		}, "once your gateway answers"},
	} {
		f, caFile := bindingGateway(t, before.cert)
		f.on("GET /v1/transactions/"+lostTx, c.status)
		code, _, errOut := resume(t, f, caFile, dir)
		assert.NotEqual(t, 0, code, "%s: %s", name, errOut)
		assert.Contains(t, errOut, "nothing was changed", name)
		assert.Contains(t, errOut, c.says, name)
		assert.Equal(t, before, stateOf(t, dir), "%s: the folder's key and the pending one are kept", name)
	}
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
	broken := http.HandlerFunc(brokenConnection)
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
		f.on("GET /v1/transactions/"+lostTx, committedIn(false))
		code, _, errOut := resume(t, f, gatewayCAFile(t, f), dir)
		assert.NotEqual(t, 0, code, "%s: %s", name, errOut)
		assert.Contains(t, errOut, "nothing was changed", name)
	}
	rebound, reboundCA := bindingGateway(t, thirdCert)
	rebound.on("GET /v1/transactions/"+lostTx, committedIn(false))
	code, _, errOut := resume(t, rebound, reboundCA, dir)
	assert.NotEqual(t, 0, code, errOut)
	assert.Contains(t, errOut, "rebind-key")
	assert.Equal(t, before, stateOf(t, dir), "the folder's key and the pending one are kept")
}

// certPEMOf encodes a certificate as PEM.
func certPEMOf(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// A member who signs its own calls is refused the commit status by a gateway before REST 7.1.0: the keys then
// decide, as when the lost answer named no transaction, and --resume installs the pending key the ledger binds or
// discards the one it does not, instead of waiting for a status it never gets.
func TestResumeOfAMemberWhoSignsItselfAsksTheKeys(t *testing.T) {
	noStatus := func(w http.ResponseWriter, _ *http.Request) {
		jsonAnswer(w, 403, map[string]string{"code": "FORBIDDEN", "message": "GET /v1/transactions/{txid} needs a member whose key this gateway holds"})
	}
	for _, bindsPending := range []bool{true, false} {
		r := resumeAfterLostBindingWith(t, outcomeUnknown, bindsPending, func([]byte) http.HandlerFunc { return noStatus })
		require.Equal(t, 0, r.code, "binds the pending key %v: %s", bindsPending, r.stderr)
		if bindsPending {
			assertInstalled(t, r)
			continue
		}
		assert.Contains(t, r.stderr, "discarded")
		key, cert := folderFiles(t, r.dir)
		assert.Equal(t, r.before.key, key, "the folder keeps the bound key")
		assert.Equal(t, r.before.cert, cert)
	}
}

// From REST 7.1.0 a gateway answers a member who signs its own calls the status of its own transactions only: those
// of its certificate's identity and key, 404 for any other. --resume asks with the current key, which signed the
// binding, so the status settles it: committed valid keeps the pending key, committed invalid discards it, even
// when the keys alone would say otherwise.
func TestResumeOfAMemberWhoSignsItselfAsksTheStatusWithTheKeyThatSentTheBinding(t *testing.T) {
	for _, valid := range []bool{true, false} {
		r := resumeAfterLostBindingWith(t, outcomeUnknown, valid, func(sender []byte) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) {
				if !bytes.Equal(certPEMOf(r.TLS.PeerCertificates[0]), sender) {
					jsonAnswer(w, 404, map[string]string{"code": "NOT_FOUND", "message": "unknown transaction"})
					return
				}
				committedIn(valid)(w, r)
			}
		})
		require.Equal(t, 0, r.code, "valid %v: %s", valid, r.stderr)
		if valid {
			assertInstalled(t, r)
			continue
		}
		assert.Contains(t, r.stderr, "discarded")
	}
}
