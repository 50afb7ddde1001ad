package api_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/chaintest"
	"github.com/deltaledger/deltaledger/gateway/internal/onboarding"
	"github.com/deltaledger/deltaledger/gateway/internal/revocation"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/enroll"
)

const newUSCC = "91310000MA1FL1800B"

// refusalTime is the onboarding's least time to refuse an enrollment in these tests (onboarding.RefusalTime in
// service).
const refusalTime = 100 * time.Millisecond

// onboardingEnv is a gateway whose onboarding registers at an in-memory CA as a registrar limited to client
// identities, the deltaledger.* attributes and its affiliation (network/enroll registers the gateway's so). alice is an active
// operator, bob an active holder, carol a suspended operator, admin no participant.
func onboardingEnv(t *testing.T, options ...api.Option) (*env, *fabricatest.Server) {
	t.Helper()
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: "gateway", Secret: "gw", Type: "client", Attributes: enroll.GatewayRegistrarAttributes,
		Affiliation: model.MembersAffiliation})
	c := ca.Client()
	key, csr := keyAndCSR(t, "gateway")
	enrolled, err := c.Enroll(context.Background(), "gateway", "gw", csr)
	require.NoError(t, err)
	registrar := &fabricca.Identity{CertificatePEM: enrolled.CertificatePEM, Key: key}

	crl := revocation.New([]*x509.Certificate{ca.Certificate}, nil, nil)
	e := newEnv(t, append([]api.Option{api.WithOnboarding(onboarding.New(c, registrar, onboarding.WithRefusalTime(refusalTime))),
		api.WithOrg(ownMSP), api.WithRevocationList(crl)}, options...)...)
	e.crl = crl
	standing := map[string]model.Participant{
		"alice": {ID: "alice", MSPID: ownMSP, Region: "shanghai", Roles: []string{model.RoleOperator}, Status: model.ParticipantActive},
		"bob":   {ID: "bob", MSPID: ownMSP, Roles: []string{model.RoleHolder}, Status: model.ParticipantActive},
		"carol": {ID: "carol", MSPID: ownMSP, Roles: []string{model.RoleOperator}, Status: model.ParticipantSuspended},
	}
	e.fake.Handle("participants:WhoAmI", func(call chaintest.Call) (chaintest.Response, error) {
		p, ok := standing[call.Member]
		if !ok {
			return chaintest.Response{}, chain.Rejected(ledgererr.NotFound, "", "no participant", "")
		}
		b, _ := json.Marshal(p)
		return chaintest.Response{Result: b}, nil
	})
	e.fake.Returns("market:GetRules", rulesOf(1, model.FoundingRegions...))
	return e, ca
}

func onboard(uscc string, roles ...string) string {
	b, _ := json.Marshal(map[string]any{"legalName": "上海数据有限公司", "uscc": uscc, "roles": roles})
	return string(b)
}

func TestOperatorOnboardsAMemberWhoEnrollsOnceWithItsOwnKey(t *testing.T) {
	e, ca := onboardingEnv(t)

	r := e.do("alice", "POST", "/v1/members", onboard(newUSCC, "buyer", "holder", "buyer"))
	inv := r.invitation(t)
	assert.Equal(t, newUSCC, inv.EnrollmentID)
	assert.Equal(t, ownMSP, inv.MSPID)
	assert.Len(t, inv.Secret, 24, "18 random bytes, base64url")
	registered, ok := ca.Identity(newUSCC)
	require.True(t, ok)
	assert.Equal(t, "client", registered.Type)
	assert.Equal(t, 1, registered.MaxEnrollments, "the secret enrolls once")
	assert.ElementsMatch(t, []fabricca.Attribute{
		{Name: model.AttrUSCC, Value: newUSCC, ECert: true},
		{Name: model.AttrRoles, Value: "buyer,holder", ECert: true},
		{Name: model.AttrLegalName, Value: "上海数据有限公司", ECert: true},
	}, registered.Attributes)

	key, got, enroll := enrollWith(t, e, newUSCC, inv.Secret)
	cert, err := fabricca.ParseCertificate([]byte(got.Certificate))
	require.NoError(t, err)
	assert.True(t, cert.PublicKey.(*ecdsa.PublicKey).Equal(key.Public()), "issued to the member's own key")
	attrs, err := fabricca.Attributes(cert)
	require.NoError(t, err)
	assert.Equal(t, newUSCC, attrs[model.AttrUSCC])
	assert.Equal(t, "buyer,holder", attrs[model.AttrRoles])

	r = e.do("", "POST", "/v1/members/enroll", enroll)
	assert.Equal(t, http.StatusUnauthorized, r.Status, "a secret enrolls once: %s", r.Body)
	assert.Equal(t, api.CodeUnauthenticated, r.errorBody(t).Code)

	r = e.do("alice", "POST", "/v1/members", onboard(newUSCC, "holder"))
	assert.Equal(t, http.StatusConflict, r.Status, "one identity per enterprise at the CA: %s", r.Body)
}

func TestOnlyAnActiveOperatorOfTheOrgOnboards(t *testing.T) {
	e, ca := onboardingEnv(t)
	for _, member := range []string{"bob", "carol", "admin"} {
		r := e.do(member, "POST", "/v1/members", onboard(newUSCC, "holder"))
		assert.Equal(t, http.StatusForbidden, r.Status, "%s: %s", member, r.Body)
		assert.Equal(t, api.CodeForbidden, r.errorBody(t).Code, member)
	}
	r := e.do("", "POST", "/v1/members", onboard(newUSCC, "holder"))
	assert.Equal(t, http.StatusUnauthorized, r.Status, "no credentials")
	r = e.do("", "POST", "/v1/members", onboard(newUSCC, "holder"), clientCert(e.foreign))
	assert.Equal(t, http.StatusForbidden, r.Status, "a member of another org's CA: %s", r.Body)
	_, registered := ca.Identity(newUSCC)
	assert.False(t, registered, "nothing reached the CA")
}

func TestOnboardingRefusesBadInputNamingTheField(t *testing.T) {
	e, ca := onboardingEnv(t)
	for body, field := range map[string]string{
		onboard("91310000MA1FL1800", "holder"):          "uscc",
		onboard("91310000MA1FL1800I", "holder"):         "uscc",
		onboard("91310000MA1FL1800C", "holder"):         "uscc",
		onboard(newUSCC, "operator"):                    "roles[0]",
		onboard(newUSCC, "holder", "regulator"):         "roles[1]",
		onboard(newUSCC):                                "roles",
		`{"uscc":"` + newUSCC + `","roles":["holder"]}`: "legalName",
		`{"legalName":"` + strings.Repeat("名", model.MaxParticipantNameLength+1) + `","uscc":"` + newUSCC + `","roles":["holder"]}`: "legalName",
		`{"legalName":"x","uscc":"` + newUSCC + `","roles":["holder"],"mspId":"JiangsuMSP"}`:                                        "mspId",
	} {
		r := e.do("alice", "POST", "/v1/members", body)
		r.requireInvalid(t, field, body)
	}
	_, registered := ca.Identity(newUSCC)
	assert.False(t, registered, "nothing reached the CA")
}

// The operator may say where the enterprise is: the CA certifies the division with the rest, and the member's
// certificate carries it. A division outside the operator's region (another province's district or city, a whole
// province, a code not in the table) is a 400 naming division, in the chaincode's words (and Chinese), and nothing
// reaches the CA. (participants:Register holds the certificate to the region again: the chaincode's tests.)
func TestOnboardingCertifiesADivisionOfTheOperatorsRegion(t *testing.T) {
	e, ca := onboardingEnv(t)
	withDivision := func(division string) string {
		b, _ := json.Marshal(map[string]any{"legalName": "上海数据有限公司", "uscc": newUSCC, "roles": []string{"holder"}, "division": division})
		return string(b)
	}
	for division, phrase := range map[string]string{
		"320576": "lies in jiangsu, not shanghai",
		"330100": "lies in zhejiang, not shanghai",
		"310000": "is a whole province",
		"310199": "is not a division of the Yangtze River Delta",
		"31011":  "",
		"浦东新区":   "",
	} {
		r := e.do("alice", "POST", "/v1/members", withDivision(division))
		assert.Contains(t, r.requireInvalid(t, "division", division).Message, phrase, division)
	}
	r := e.do("alice", "POST", "/v1/members", withDivision("320576"), header("Accept-Language", "zh-CN"))
	assert.Contains(t, r.errorBody(t).Message, "位于 jiangsu，而非 shanghai", "the catalogue's Chinese: %s", r.Body)
	_, registered := ca.Identity(newUSCC)
	assert.False(t, registered, "nothing reached the CA")

	// The rules in force say whose a division is, read afresh: once Suzhou holds 3205, 320576 is Suzhou's.
	withSuzhou := rulesOf(2, append([]string{"suzhou"}, model.FoundingRegions...)...)
	withSuzhou.Orgs[0].Divisions = []string{"3205"}
	e.fake.Returns("market:GetRules", withSuzhou)
	r = e.do("alice", "POST", "/v1/members", withDivision("320576"))
	require.Equal(t, http.StatusBadRequest, r.Status, r.Body)
	assert.Contains(t, r.errorBody(t).Message, "lies in suzhou, not shanghai")

	r = e.do("alice", "POST", "/v1/members", withDivision("310115"))
	inv := r.invitation(t)
	registered2, ok := ca.Identity(newUSCC)
	require.True(t, ok)
	assert.Contains(t, registered2.Attributes, fabricca.Attribute{Name: model.AttrDivision, Value: "310115", ECert: true})
	_, got, _ := enrollWith(t, e, newUSCC, inv.Secret)
	cert, err := fabricca.ParseCertificate([]byte(got.Certificate))
	require.NoError(t, err)
	attrs, err := fabricca.Attributes(cert)
	require.NoError(t, err)
	assert.Equal(t, "310115", attrs[model.AttrDivision], "certified in the member's certificate")
}

func TestEnrollmentRefusesWrongSecretsAndForeignCSRs(t *testing.T) {
	e, _ := onboardingEnv(t)
	r := e.do("alice", "POST", "/v1/members", onboard(newUSCC, "holder"))
	inv := r.invitation(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr, _ := fabricca.CertificateRequest(key, newUSCC, pkix.Name{})
	const unknown = "91310000MA1FL1801X"
	unknownCSR, _ := fabricca.CertificateRequest(key, unknown, pkix.Name{})

	for name, body := range map[string]map[string]string{
		"wrong secret": {"enrollmentId": newUSCC, "secret": inv.Secret + "x", "csr": string(csr)},
		"unknown ID":   {"enrollmentId": unknown, "secret": inv.Secret, "csr": string(unknownCSR)},
	} {
		b, _ := json.Marshal(body)
		asked := time.Now()
		r := e.do("", "POST", "/v1/members/enroll", string(b))
		assert.Equal(t, http.StatusUnauthorized, r.Status, "%s: %s", name, r.Body)
		assert.NotContains(t, string(r.Body), inv.Secret, name)
		// The in-memory CA answers both at once; the real one checks a known ID's secret first, so only a floor
		// under every refusal keeps its time from telling whom the CA knows.
		assert.GreaterOrEqual(t, time.Since(asked), refusalTime, "%s: refused before the refusal time", name)
	}
	b, _ := json.Marshal(map[string]string{"enrollmentId": newUSCC, "secret": inv.Secret, "csr": "not a CSR"})
	r = e.do("", "POST", "/v1/members/enroll", string(b))
	r.requireInvalid(t, "csr", "not a CSR")
}

func TestOnboardingWithoutACAAnswersNotFound(t *testing.T) {
	e := newEnv(t)
	programRoles(e.fake)
	r := e.do("alice", "POST", "/v1/members", onboard(newUSCC, "holder"))
	assert.Equal(t, http.StatusNotFound, r.Status, "%s", r.Body)
}

func TestEnrollmentRefusesRequestsOfAnotherIDOrKey(t *testing.T) {
	e, ca := onboardingEnv(t)
	inv := e.do("alice", "POST", "/v1/members", onboard(newUSCC, "holder")).invitation(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherID, _ := fabricca.CertificateRequest(key, "admin", pkix.Name{})
	tampered, _ := fabricca.CertificateRequest(key, newUSCC, pkix.Name{})
	tampered = []byte(strings.Replace(string(tampered), "A", "B", 1))
	for name, csr := range map[string]string{"a CSR of another ID": string(otherID), "a CSR whose signature fails": string(tampered)} {
		b, _ := json.Marshal(map[string]string{"enrollmentId": newUSCC, "secret": inv.Secret, "csr": csr})
		r := e.do("", "POST", "/v1/members/enroll", string(b))
		r.requireInvalid(t, "csr", name)
	}
	registered, _ := ca.Identity(newUSCC)
	assert.Zero(t, registered.Enrollments, "the secret is still unused")
}

// A certificate signing request that the gateway's check or the CA refuses
// is answered in the catalogue's words in the request's language: neither
// crypto/x509's text nor the CA's own (English, quoting the request) comes
// back; the CA's goes to the gateway's log under the answer's X-Request-ID.
func TestRefusedSigningRequestsInTheRequestsLanguage(t *testing.T) {
	var log bytes.Buffer
	e, _ := onboardingEnv(t, api.WithLogger(slog.New(slog.NewJSONHandler(&log, nil))))
	inv := e.do("alice", "POST", "/v1/members", onboard(newUSCC, "holder")).invitation(t)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	longName, _ := fabricca.CertificateRequest(key, newUSCC, pkix.Name{Organization: []string{strings.Repeat("上海数据", 6)}})
	garbled := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: []byte("not DER")})
	for _, c := range []struct {
		name, csr, en, zh, logged string
	}{
		{"refused by the CA", string(longName),
			"csr: the CA refused its subject: a name in it is longer than X.509 allows (64 characters for CN, O, OU, L and ST)",
			"csr: CA 拒绝了其主题：其中某个名称超出 X.509 允许的长度（CN、O、OU、L、ST 最多 64 个字符）",
			"exceeds the maximum character limit of 64"},
		{"not DER", string(garbled),
			"csr: cannot be parsed as a PKCS #10 certificate signing request",
			"csr: 无法解析为 PKCS #10 证书签名请求",
			"asn1: structure error"},
	} {
		b, _ := json.Marshal(map[string]string{"enrollmentId": newUSCC, "secret": inv.Secret, "csr": c.csr})
		for lang, want := range map[string]string{"": c.en, "zh-CN": c.zh} {
			log.Reset()
			r := e.do("", "POST", "/v1/members/enroll", string(b), header("Accept-Language", lang))
			assert.Equal(t, want, r.requireInvalid(t, "csr", c.name).Message, "%s, Accept-Language %q", c.name, lang)
			assert.NotContains(t, string(r.Body), c.logged, c.name)
			assert.Contains(t, log.String(), `"request_id":"`+r.Header.Get("X-Request-ID")+`"`, c.name)
			assert.Contains(t, log.String(), c.logged, "%s: the log says what the CA or crypto/x509 said", c.name)
		}
	}
}

// invitation is the invitation an onboarding or a reinvitation answers (201 Created).
func (r response) invitation(t *testing.T) wire.MemberInvitationBody {
	t.Helper()
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Body)
	var inv wire.MemberInvitationBody
	require.NoError(t, json.Unmarshal(r.Body, &inv))
	return inv
}

// enrollAt onboards uscc through the gateway (alice, an operator) and enrolls it with a key of its own.
func enrollAt(t *testing.T, e *env, uscc string) (*x509.Certificate, *fabricca.Identity) {
	t.Helper()
	inv := e.do("alice", "POST", "/v1/members", onboard(uscc, "holder")).invitation(t)
	key, got, _ := enrollWith(t, e, uscc, inv.Secret)
	cert, err := fabricca.ParseCertificate([]byte(got.Certificate))
	require.NoError(t, err)
	return cert, &fabricca.Identity{CertificatePEM: []byte(got.Certificate), Key: key}
}

// The org's admin cuts a suspended member off: the gateway revokes at the CA every certificate of the member's
// enrollment ID (the enrollment's, a re-enrollment's, and one the member re-enrolled under a subject of its own
// choosing, which would otherwise re-enroll back to the ledger's identity) and refuses them from then on; calling
// again revokes nothing more. Nobody is revoked whom the ledger holds ACTIVE, who is of another org, who certifies no enterprise
// or whom the gateway did not onboard; only the org's admin asks.
func TestTheAdminCutsASuspendedMemberOffAtTheCA(t *testing.T) {
	e, ca := onboardingEnv(t)
	const activeUSCC = "91310000MA1FL1801E"
	suspended, identity := enrollAt(t, e, newUSCC)
	rotated, err := ca.Client().Reenroll(context.Background(), identity, mustCSR(t, newUSCC))
	require.NoError(t, err)
	rotatedCert, err := fabricca.ParseCertificate(rotated.CertificatePEM)
	require.NoError(t, err)
	asideKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	aside, asideCert := reenrollAside(t, ca, identity, asideKey)
	require.NotEqual(t, wallet.IdentityOf(suspended), wallet.IdentityOf(asideCert), "the CA keeps the subject the member chose")
	active, _ := enrollAt(t, e, activeUSCC)
	ledgerSays := decoys(e, activeUSCC, active, model.ParticipantSuspended)
	ledgerSays["suspended"] = participant(newUSCC, suspended, model.ParticipantSuspended, true, ownMSP)
	ledgerSays["active"] = participant(activeUSCC, active, model.ParticipantActive, true, ownMSP)
	ledgerHolds(e, ledgerSays)

	for _, member := range []string{"alice", "bob", "regulator"} {
		r := e.do(member, "POST", "/v1/participants/suspended/revocation", "")
		assert.Equal(t, http.StatusForbidden, r.Status, "%s: %s", member, r.Body)
	}
	for id, want := range refusals(map[string]int{"active": http.StatusConflict}) {
		r := e.do("admin", "POST", "/v1/participants/"+id+"/revocation", "")
		assert.Equal(t, want, r.Status, "%s: %s", id, r.Body)
	}
	assert.False(t, ca.IsRevoked(suspended) || ca.IsRevoked(rotatedCert) || ca.IsRevoked(asideCert) || ca.IsRevoked(active), "nothing revoked before the admin's call on a suspended member")

	r := e.do("admin", "POST", "/v1/participants/suspended/revocation", "")
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var got wire.MemberRevocationBody
	require.NoError(t, json.Unmarshal(r.Body, &got))
	assert.ElementsMatch(t, []string{suspended.SerialNumber.Text(16), rotatedCert.SerialNumber.Text(16), asideCert.SerialNumber.Text(16)}, got.Revoked)
	assert.Equal(t, newUSCC, got.EnrollmentID)
	block, _ := pem.Decode([]byte(got.CRL))
	require.NotNil(t, block, "the answer carries the CA's CRL (PEM), for the org's admin to publish in the channel: %s", r.Body)
	listed, err := x509.ParseRevocationList(block.Bytes)
	require.NoError(t, err)
	var listedSerials []string
	for _, entry := range listed.RevokedCertificateEntries {
		listedSerials = append(listedSerials, entry.SerialNumber.Text(16))
	}
	assert.Subset(t, listedSerials, got.Revoked)
	assert.True(t, ca.IsRevoked(suspended) && ca.IsRevoked(rotatedCert) && ca.IsRevoked(asideCert), "every certificate of the enrollment ID revoked at the CA")
	assert.True(t, e.crl.Revoked(suspended) && e.crl.Revoked(rotatedCert) && e.crl.Revoked(asideCert), "the gateway holds the CA's new CRL at once")
	_, err = ca.Client().Reenroll(context.Background(), &fabricca.Identity{CertificatePEM: aside.CertificatePEM, Key: asideKey}, mustCSR(t, newUSCC))
	assert.Error(t, err, "the certificate under another subject re-enrolls back to the ledger's identity")
	assert.False(t, ca.IsRevoked(active) || e.crl.Revoked(active), "another member is untouched")

	r = e.do("admin", "POST", "/v1/participants/suspended/revocation", "")
	require.Equal(t, http.StatusOK, r.Status, "calling again: %s", r.Body)
	require.NoError(t, json.Unmarshal(r.Body, &got))
	assert.Empty(t, got.Revoked)
}

// reenrollAside re-enrolls the enrollment ID newUSCC as identity, with key, under another subject (another
// organisation's name): a valid certificate of the enrollment ID whose identity is not the one the ledger records.
func reenrollAside(t *testing.T, ca *fabricatest.Server, identity *fabricca.Identity, key crypto.Signer) (*fabricca.Enrollment, *x509.Certificate) {
	t.Helper()
	csr, err := fabricca.CertificateRequest(key, newUSCC, pkix.Name{Organization: []string{"Elsewhere Ltd"}})
	require.NoError(t, err)
	aside, err := ca.Client().Reenroll(context.Background(), identity, csr)
	require.NoError(t, err)
	cert, err := fabricca.ParseCertificate(aside.CertificatePEM)
	require.NoError(t, err)
	return aside, cert
}

func mustCSR(t *testing.T, id string) []byte {
	t.Helper()
	_, csr := keyAndCSR(t, id)
	return csr
}

// enrollWith enrolls uscc with an invitation's secret and a key of its own; it returns the key, the answer and the
// request (to try it again).
func enrollWith(t *testing.T, e *env, uscc, secret string) (*ecdsa.PrivateKey, wire.MemberCertificateBody, string) {
	t.Helper()
	key, csr := keyAndCSR(t, uscc)
	body, _ := json.Marshal(map[string]string{"enrollmentId": uscc, "secret": secret, "csr": string(csr)})
	r := e.do("", "POST", "/v1/members/enroll", string(body))
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	var got wire.MemberCertificateBody
	require.NoError(t, json.Unmarshal(r.Body, &got))
	return key, got, string(body)
}

// keyAndCSR makes a key pair of the member's own and a certificate signing request of it for id.
func keyAndCSR(t *testing.T, id string) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	csr, err := fabricca.CertificateRequest(key, id, pkix.Name{})
	require.NoError(t, err)
	return key, csr
}

// participant is a holder as the ledger records it: of org msp, for the enterprise uscc, with the identity of cert;
// certified when the CA certified its roles.
func participant(uscc string, cert *x509.Certificate, status string, certified bool, msp string) model.Participant {
	p := model.Participant{MSPID: msp, USCC: uscc, Identity: wallet.IdentityOf(cert), Status: status, Roles: []string{model.RoleHolder}}
	if certified {
		p.CertifiedRoles = []string{model.RoleHolder}
	}
	return p
}

// decoys are the participants the admin's revocation and an operator's reinvitation refuse although the ledger
// holds them with status, each like the member a test acts on (the enterprise uscc, certified by cert) but for one
// thing: staff certifies no enterprise, foreign is of another org, stranger is an enterprise the gateway did not
// onboard, and impostor names uscc with another identity (the CA shows no certificate of that identity).
func decoys(e *env, uscc string, cert *x509.Certificate, status string) map[string]model.Participant {
	return map[string]model.Participant{
		"staff":    participant(uscc, cert, status, false, ownMSP),
		"foreign":  participant(uscc, cert, status, true, "JiangsuMSP"),
		"stranger": participant("91310000MA1FL1802H", e.certs["bob"].Certificate, status, true, ownMSP),
		"impostor": participant(uscc, e.certs["bob"].Certificate, status, true, ownMSP),
	}
}

// refusals is the status the gateway answers each of the decoys and "nobody" (an ID the ledger does not know)
// with, and the test's own refusals (by participant ID).
func refusals(own map[string]int) map[string]int {
	want := map[string]int{"staff": http.StatusConflict, "foreign": http.StatusNotFound, "stranger": http.StatusConflict,
		"impostor": http.StatusConflict, "nobody": http.StatusNotFound}
	maps.Copy(want, own)
	return want
}

// ledgerHolds makes participants:Get answer the participants by ID, and NOT_FOUND for any other ID.
func ledgerHolds(e *env, participants map[string]model.Participant) {
	e.fake.Handle("participants:Get", func(call chaintest.Call) (chaintest.Response, error) {
		p, ok := participants[call.Args[0]]
		if !ok {
			return chaintest.Response{}, chain.Rejected(ledgererr.NotFound, "", "no participant", "")
		}
		p.ID = call.Args[0]
		b, _ := json.Marshal(p)
		return chaintest.Response{Result: b}, nil
	})
}

// A reinstated member whose certificates were all revoked enrolls again through an operator's new invitation: a
// certificate of the same subject and issuer (the ledger's participant) certifying the same enterprise, with a
// secret that enrolls once. Nobody takes over an enterprise with it: only an active operator of the org asks, the
// enrollment ID is the participant's USCC on the ledger, never the request's, and a member that still holds a
// valid certificate (of any subject), a suspended one, one of another org, one that certifies no enterprise or one
// the gateway did not onboard gets none.
func TestAReinstatedMemberEnrollsAgainWithANewInvitation(t *testing.T) {
	e, ca := onboardingEnv(t)
	const activeUSCC = "91310000MA1FL1801E"
	old, identity := enrollAt(t, e, newUSCC)
	_, asideCert := reenrollAside(t, ca, identity, identity.Key)
	active, _ := enrollAt(t, e, activeUSCC)
	ledgerSays := decoys(e, newUSCC, old, model.ParticipantActive)
	ledgerSays["reinstated"] = participant(newUSCC, old, model.ParticipantActive, true, ownMSP)
	ledgerSays["suspended"] = participant(newUSCC, old, model.ParticipantSuspended, true, ownMSP)
	ledgerSays["active"] = participant(activeUSCC, active, model.ParticipantActive, true, ownMSP)
	ledgerHolds(e, ledgerSays)
	before, _ := ca.Identity(newUSCC)

	// While the member holds a valid certificate nobody gets a new enrollment for it.
	r := e.do("alice", "POST", "/v1/participants/reinstated/enrollment", "")
	assert.Equal(t, http.StatusConflict, r.Status, "%s", r.Body)
	assert.Contains(t, string(r.Body), "reenroll")
	ca.RevokeCertificate(old)
	r = e.do("alice", "POST", "/v1/participants/reinstated/enrollment", "")
	assert.Equal(t, http.StatusConflict, r.Status, "it still holds a certificate of another subject, which re-enrolls: %s", r.Body)
	ca.RevokeCertificate(asideCert)

	for _, member := range []string{"bob", "carol", "admin"} {
		r := e.do(member, "POST", "/v1/participants/reinstated/enrollment", "")
		assert.Equal(t, http.StatusForbidden, r.Status, "%s: only an active operator: %s", member, r.Body)
	}
	for id, want := range refusals(map[string]int{"suspended": http.StatusConflict, "active": http.StatusConflict}) {
		r := e.do("alice", "POST", "/v1/participants/"+id+"/enrollment", "")
		assert.Equal(t, want, r.Status, "%s: %s", id, r.Body)
	}
	after, _ := ca.Identity(newUSCC)
	assert.Equal(t, before.Secret, after.Secret, "no refusal touched the identity at the CA")
	assert.Equal(t, before.MaxEnrollments, after.MaxEnrollments)

	r = e.do("alice", "POST", "/v1/participants/reinstated/enrollment", "")
	inv := r.invitation(t)
	assert.Equal(t, newUSCC, inv.EnrollmentID, "the participant's USCC from the ledger")
	assert.Len(t, inv.Secret, 24)

	_, got, enroll := enrollWith(t, e, newUSCC, inv.Secret)
	fresh, err := fabricca.ParseCertificate([]byte(got.Certificate))
	require.NoError(t, err)
	assert.Equal(t, wallet.IdentityOf(old), wallet.IdentityOf(fresh), "same subject and issuer: the same participant on the ledger")
	assert.NotEqual(t, old.SerialNumber, fresh.SerialNumber)
	oldAttrs, err := fabricca.Attributes(old)
	require.NoError(t, err)
	freshAttrs, err := fabricca.Attributes(fresh)
	require.NoError(t, err)
	assert.Equal(t, oldAttrs, freshAttrs, "the same enterprise certified")

	r = e.do("", "POST", "/v1/members/enroll", enroll)
	assert.Equal(t, http.StatusUnauthorized, r.Status, "the new secret enrolls once: %s", r.Body)
	r = e.do("alice", "POST", "/v1/participants/reinstated/enrollment", "")
	assert.Equal(t, http.StatusConflict, r.Status, "enrolled again, it holds a valid certificate: %s", r.Body)
}

// An operator who asks for a reinstated member's enrollment again before the member used the last invitation gets a
// secret that replaces the last one, not one that enrolls once more for each time it asked: otherwise an operator
// asking three times holds a secret that enrolls three times, and enrolls a certificate of the member's identity
// with a key of its own after the member enrolled, acting as the enterprise unnoticed.
func TestAReinvitationWhileTheLastIsUnusedEnrollsOnce(t *testing.T) {
	e, ca := onboardingEnv(t)
	old, _ := enrollAt(t, e, newUSCC)
	ledgerHolds(e, map[string]model.Participant{"reinstated": participant(newUSCC, old, model.ParticipantActive, true, ownMSP)})
	ca.RevokeCertificate(old)
	var first, inv wire.MemberInvitationBody
	for i := range 3 {
		r := e.do("alice", "POST", "/v1/participants/reinstated/enrollment", "")
		inv = r.invitation(t)
		if i == 0 {
			first = inv
		}
	}
	_, earlier := keyAndCSR(t, newUSCC)
	body, _ := json.Marshal(map[string]string{"enrollmentId": newUSCC, "secret": first.Secret, "csr": string(earlier)})
	r := e.do("", "POST", "/v1/members/enroll", string(body))
	assert.Equal(t, http.StatusUnauthorized, r.Status, "the last invitation replaced the earlier ones: %s", r.Body)

	_, got, _ := enrollWith(t, e, newUSCC, inv.Secret) // the member
	fresh, err := fabricca.ParseCertificate([]byte(got.Certificate))
	require.NoError(t, err)
	_, csr := keyAndCSR(t, newUSCC)
	body, _ = json.Marshal(map[string]string{"enrollmentId": newUSCC, "secret": inv.Secret, "csr": string(csr)})
	r = e.do("", "POST", "/v1/members/enroll", string(body))
	assert.Equal(t, http.StatusUnauthorized, r.Status, "the secret enrolls once, however often it was asked for: %s", r.Body)

	// Once the member enrolled, and was cut off again, the next invitation enrolls once more.
	ca.RevokeCertificate(fresh)
	r = e.do("alice", "POST", "/v1/participants/reinstated/enrollment", "")
	require.Equal(t, http.StatusCreated, r.Status, "%s", r.Body)
	require.NoError(t, json.Unmarshal(r.Body, &inv))
	enrollWith(t, e, newUSCC, inv.Secret)
}
