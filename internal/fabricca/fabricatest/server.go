// Package fabricatest is an in-memory Fabric CA server for unit tests. It answers the REST API that
// internal/fabricca speaks (cainfo, enroll, reenroll, register, identities/{id}, revoke, gencrl) with Fabric CA
// v1.5's rules as far as this project relies on them: basic authentication for enroll and the signed token (low-S
// ECDSA over method, URI, body and certificate) for everything else; registrars limited by hf.Registrar.Roles,
// hf.Registrar.Attributes and hf.Revoker, and to identities of their own affiliation or below (registering,
// revoking, listing certificates); enrollment secrets bounded by max enrollments; the enrollment ID as the
// certificate's CN and the identity's type and affiliation as its OUs; registered attributes marked ecert certified
// in the certificate's attribute extension; and revocation with a real, signed CRL. The end-to-end tests use the
// real fabric-ca-server. SelfSigned makes the self-signed certificate of its root, and of any test's CA or TLS
// client that needs no issuer.
package fabricatest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// Identity is a registered identity of the test CA.
type Identity struct {
	ID             string
	Secret         string
	Type           string
	MaxEnrollments int // 0: unlimited
	Enrollments    int
	Attributes     []fabricca.Attribute
	// Affiliation is the identity's affiliation ("" for the root): a registrar acts on identities of its own
	// affiliation and below.
	Affiliation string
	Revoked     bool
}

// manages reports whether registrar caller may act on (revoke, see the certificates of) identity i, as Fabric CA's
// CanManageUser decides: i's affiliation is the caller's or below, and i's type one the caller may register.
func (caller *Identity) manages(i *Identity) bool {
	return within(i.Affiliation, caller.Affiliation) && registrarMay(caller, i.Type)
}

// within reports whether affiliation aff is scope or below it ("" is the root, above every affiliation).
func within(aff, scope string) bool {
	return scope == "" || aff == scope || strings.HasPrefix(aff, scope+".")
}

// attr returns the value of attribute name, "" when absent.
func (i *Identity) attr(name string) string {
	for _, a := range i.Attributes {
		if a.Name == name {
			return a.Value
		}
	}
	return ""
}

// Server is a running test CA. Its fields may be read after requests complete; use its methods while they run.
type Server struct {
	*httptest.Server
	// Name is the CA's name (cainfo's CAName).
	Name string
	// Certificate is the CA's self-signed certificate.
	Certificate *x509.Certificate
	// CertificatePEM is its PEM.
	CertificatePEM []byte

	t          testing.TB
	key        *ecdsa.PrivateKey
	mu         sync.Mutex
	identities map[string]*Identity
	issued     map[string]string // serial (hex) -> enrollment ID
	certs      map[string][]byte // serial (hex) -> PEM
	revoked    map[string]time.Time
}

// New starts a test CA (stopped when the test ends) with a bootstrap registrar "admin" of secret "adminpw" that may
// register every type and attribute and revoke.
func New(t testing.TB) *Server {
	t.Helper()
	der, key := SelfSigned(t, &x509.Certificate{
		Subject:   pkix.Name{CommonName: "ca.test", Organization: []string{"test"}},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		SubjectKeyId: []byte{1, 2, 3, 4},
	})
	cert, _ := x509.ParseCertificate(der)
	s := &Server{
		Name: "ca", Certificate: cert, CertificatePEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		t: t, key: key, identities: map[string]*Identity{}, issued: map[string]string{}, certs: map[string][]byte{}, revoked: map[string]time.Time{},
	}
	s.Add(&Identity{ID: "admin", Secret: "adminpw", Type: "client", Attributes: []fabricca.Attribute{
		{Name: "hf.Registrar.Roles", Value: "*"}, {Name: "hf.Registrar.Attributes", Value: "*"},
		{Name: "hf.Revoker", Value: "true"}, {Name: "hf.GenCRL", Value: "true"},
	}})
	s.Server = httptest.NewTLSServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// Add registers id directly (as the server's configuration would).
func (s *Server) Add(id *Identity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.identities[id.ID] = id
}

// Identity returns a copy of a registered identity.
func (s *Server) Identity(id string) (Identity, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.identities[id]
	if !ok {
		return Identity{}, false
	}
	return *i, true
}

// Client returns a fabricca client of the server.
func (s *Server) Client(options ...fabricca.Option) *fabricca.Client {
	c, err := fabricca.New(s.URL, append([]fabricca.Option{fabricca.WithHTTPClient(s.Server.Client())}, options...)...)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// IsRevoked reports whether the CA revoked cert.
func (s *Server) IsRevoked(cert *x509.Certificate) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.revoked[cert.SerialNumber.Text(16)]
	return ok
}

// RevokeCertificate revokes cert as the CA's bootstrap registrar would (fabric-ca-client revoke -s SERIAL).
func (s *Server) RevokeCertificate(cert *x509.Certificate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[cert.SerialNumber.Text(16)] = time.Now()
}

type apiError struct {
	status, code int
	msg          string
}

func fail(status, code int, msg string) *apiError { return &apiError{status, code, msg} }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	result, e := s.route(r, body)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if e != nil {
		w.WriteHeader(e.status)
		json.NewEncoder(w).Encode(map[string]any{"success": false, "result": nil,
			"errors": []any{map[string]any{"code": e.code, "message": e.msg}}, "messages": []any{}})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"success": true, "result": result, "errors": []any{}, "messages": []any{}})
}

// signRequest is the body of enroll and reenroll.
type signRequest struct {
	Request string   `json:"certificate_request"`
	Hosts   []string `json:"hosts"`
	Profile string   `json:"profile"`
}

func (s *Server) route(r *http.Request, body []byte) (any, *apiError) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	var named struct {
		CAName string `json:"caname"`
	}
	json.Unmarshal(body, &named)
	if ca := r.URL.Query().Get("ca"); ca != "" {
		named.CAName = ca
	}
	if named.CAName != "" && named.CAName != s.Name {
		return nil, fail(404, 19, "CA '"+named.CAName+"' does not exist")
	}
	if r.Method == http.MethodGet && path == "cainfo" {
		return s.info(), nil
	}
	if r.Method == http.MethodPost && path == "enroll" {
		return s.enroll(r, body)
	}
	caller, e := s.authenticate(r, body)
	if e != nil {
		return nil, e
	}
	switch {
	case r.Method == http.MethodPost && path == "reenroll":
		var req signRequest
		json.Unmarshal(body, &req)
		return s.issue(caller, req)
	case r.Method == http.MethodPost && path == "register":
		return s.register(caller, body)
	case r.Method == http.MethodPut && strings.HasPrefix(path, "identities/"):
		var req struct {
			Secret         string               `json:"secret"`
			MaxEnrollments int                  `json:"max_enrollments"`
			Attributes     []fabricca.Attribute `json:"attrs"`
		}
		json.Unmarshal(body, &req)
		target, ok := s.identities[strings.TrimPrefix(path, "identities/")]
		if !ok {
			return nil, fail(404, 63, "identity not found")
		}
		if !registrarMay(caller, target.Type) || !within(target.Affiliation, caller.Affiliation) {
			return nil, fail(401, 71, "authorization failure")
		}
		for _, a := range req.Attributes {
			if !registrarMayAttribute(caller, a.Name) {
				return nil, fail(401, 71, "the registrar may not set attribute "+a.Name)
			}
		}
		for _, a := range req.Attributes { // added, or replaced (Fabric CA's identity modify --attrs)
			if i := slices.IndexFunc(target.Attributes, func(b fabricca.Attribute) bool { return b.Name == a.Name }); i >= 0 {
				target.Attributes[i] = a
			} else {
				target.Attributes = append(target.Attributes, a)
			}
		}
		if req.Secret != "" {
			target.Secret = req.Secret
		}
		if req.MaxEnrollments != 0 {
			target.MaxEnrollments = req.MaxEnrollments
		}
		return map[string]any{"id": target.ID, "max_enrollments": target.MaxEnrollments}, nil
	case r.Method == http.MethodGet && strings.HasPrefix(path, "identities/"):
		target, ok := s.identities[strings.TrimPrefix(path, "identities/")]
		if !ok {
			return nil, fail(404, 63, "identity not found")
		}
		if !caller.manages(target) {
			return nil, fail(401, 71, "authorization failure")
		}
		max := target.MaxEnrollments
		if max == 0 {
			max = -1
		}
		return map[string]any{"id": target.ID, "type": target.Type, "affiliation": target.Affiliation, "max_enrollments": max,
			"attrs": target.Attributes}, nil
	case r.Method == http.MethodPost && path == "revoke":
		return s.revoke(caller, body)
	case r.Method == http.MethodGet && path == "certificates":
		return s.certificates(caller, r.URL.Query())
	case r.Method == http.MethodPost && path == "gencrl":
		if caller.attr("hf.GenCRL") != "true" {
			return nil, fail(401, 35, "the caller may not generate a CRL")
		}
		return map[string]any{"CRL": base64.StdEncoding.EncodeToString(s.crl())}, nil
	}
	return nil, fail(404, 0, "no such endpoint")
}

func (s *Server) info() map[string]any {
	return map[string]any{"CAName": s.Name, "CAChain": base64.StdEncoding.EncodeToString(s.CertificatePEM), "Version": "1.5.15"}
}

func (s *Server) enroll(r *http.Request, body []byte) (any, *apiError) {
	id, secret, ok := r.BasicAuth()
	i := s.identities[id]
	if !ok || i == nil || i.Secret != secret {
		return nil, fail(401, 20, "Authentication failure")
	}
	if i.Revoked {
		return nil, fail(401, 70, "identity is revoked")
	}
	if i.MaxEnrollments > 0 && i.Enrollments >= i.MaxEnrollments {
		return nil, fail(401, 20, "the identity has enrolled as often as it may")
	}
	var req signRequest
	json.Unmarshal(body, &req)
	res, e := s.issue(i, req)
	if e == nil {
		i.Enrollments++
	}
	return res, e
}

// issue signs the request's CSR for identity i: SANs from the request's hosts (else the CSR's), the TLS profile's
// extended key uses for profile "tls".
func (s *Server) issue(i *Identity, req signRequest) (any, *apiError) {
	block, _ := pem.Decode([]byte(req.Request))
	if block == nil {
		return nil, fail(400, 80, "invalid CSR")
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil || csr.CheckSignature() != nil {
		return nil, fail(400, 80, "invalid CSR")
	}
	if csr.Subject.CommonName != i.ID {
		return nil, fail(400, 77, "the CSR subject common name must equal the enrollment ID")
	}
	// fabric-ca's csrInputLengthCheck (RFC 3280's upper bounds), with its text.
	for _, o := range csr.Subject.Organization {
		if len(o) > 64 {
			return nil, fail(400, 80, fmt.Sprintf("CSR input validation failed: The organization name '%s' exceeds the maximum character limit of 64", o))
		}
	}
	attrs := map[string]string{"hf.EnrollmentID": i.ID, "hf.Type": i.Type, "hf.Affiliation": i.Affiliation}
	for _, a := range i.Attributes {
		if a.ECert {
			attrs[a.Name] = a.Value
		}
	}
	ext, _ := json.Marshal(map[string]any{"attrs": attrs})
	subject := csr.Subject
	subject.OrganizationalUnit = []string{i.Type}
	if i.Affiliation != "" {
		subject.OrganizationalUnit = append(subject.OrganizationalUnit, strings.Split(i.Affiliation, ".")...)
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: subject, NotBefore: time.Now().Add(-time.Minute),
		NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		AuthorityKeyId: s.Certificate.SubjectKeyId, DNSNames: csr.DNSNames, IPAddresses: csr.IPAddresses,
		ExtraExtensions: []pkix.Extension{{Id: fabricca.AttributesOID, Value: ext}},
	}
	if len(req.Hosts) > 0 {
		tmpl.DNSNames, tmpl.IPAddresses = nil, nil
		for _, h := range req.Hosts {
			if ip := net.ParseIP(h); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			} else {
				tmpl.DNSNames = append(tmpl.DNSNames, h)
			}
		}
	}
	switch req.Profile {
	case "":
	case "tls":
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}
	default:
		return nil, fail(400, 0, "unknown profile "+req.Profile)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, s.Certificate, csr.PublicKey, s.key)
	if err != nil {
		return nil, fail(500, 0, err.Error())
	}
	s.issued[serial.Text(16)] = i.ID
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	s.certs[serial.Text(16)] = cert
	return map[string]any{"Cert": base64.StdEncoding.EncodeToString(cert), "ServerInfo": s.info()}, nil
}

// authenticate checks Fabric CA's token and returns the caller's identity.
func (s *Server) authenticate(r *http.Request, body []byte) (*Identity, *apiError) {
	b64cert, b64sig, ok := strings.Cut(r.Header.Get("Authorization"), ".")
	certPEM, err1 := base64.StdEncoding.DecodeString(b64cert)
	sig, err2 := base64.StdEncoding.DecodeString(b64sig)
	if !ok || err1 != nil || err2 != nil {
		return nil, fail(401, 6, "bad token")
	}
	cert, err := fabricca.ParseCertificate(certPEM)
	if err != nil || cert.CheckSignatureFrom(s.Certificate) != nil {
		return nil, fail(401, 26, "Untrusted certificate")
	}
	var rs struct{ R, S *big.Int }
	pub, isEC := cert.PublicKey.(*ecdsa.PublicKey)
	if _, err := asn1.Unmarshal(sig, &rs); err != nil || !isEC || rs.S.Cmp(new(big.Int).Rsh(pub.Curve.Params().N, 1)) > 0 {
		return nil, fail(401, 25, "Invalid token in authorization header")
	}
	b64 := base64.StdEncoding.EncodeToString
	digest := sha256.Sum256([]byte(r.Method + "." + b64([]byte(r.URL.RequestURI())) + "." + b64(body) + "." + b64cert))
	if !ecdsa.VerifyASN1(pub, digest[:], sig) {
		return nil, fail(401, 25, "Invalid token in authorization header")
	}
	if _, revoked := s.revoked[cert.SerialNumber.Text(16)]; revoked {
		return nil, fail(401, 27, "The certificate in the authorization header is a revoked or expired certificate")
	}
	i := s.identities[cert.Subject.CommonName]
	if i == nil {
		return nil, fail(401, 23, "unknown identity")
	}
	return i, nil
}

func registrarMay(caller *Identity, idType string) bool {
	roles := caller.attr("hf.Registrar.Roles")
	return roles == "*" || slices.Contains(strings.Split(roles, ","), idType)
}

func registrarMayAttribute(caller *Identity, name string) bool {
	for _, allowed := range strings.Split(caller.attr("hf.Registrar.Attributes"), ",") {
		if allowed == "*" || allowed == name || strings.HasSuffix(allowed, "*") && strings.HasPrefix(name, strings.TrimSuffix(allowed, "*")) {
			return true
		}
	}
	return false
}

func (s *Server) register(caller *Identity, body []byte) (any, *apiError) {
	var req fabricca.Registration
	if err := json.Unmarshal(body, &req); err != nil || req.ID == "" {
		return nil, fail(400, 5, "bad request body")
	}
	if req.Type == "" {
		req.Type = "client"
	}
	if !registrarMay(caller, req.Type) {
		return nil, fail(401, 76, "registrar may not register type "+req.Type)
	}
	for _, a := range req.Attributes {
		if !registrarMayAttribute(caller, a.Name) {
			return nil, fail(401, 42, "registrar may not register attribute "+a.Name)
		}
	}
	switch req.Affiliation {
	case "":
		req.Affiliation = caller.Affiliation
	case ".":
		req.Affiliation = ""
	}
	if !within(req.Affiliation, caller.Affiliation) {
		return nil, fail(403, 71, "Authorization failure")
	}
	if _, taken := s.identities[req.ID]; taken {
		return nil, fail(500, 74, "Identity '"+req.ID+"' is already registered")
	}
	if req.Secret == "" {
		b := make([]byte, 12)
		rand.Read(b)
		req.Secret = base64.RawURLEncoding.EncodeToString(b)
	}
	s.identities[req.ID] = &Identity{ID: req.ID, Secret: req.Secret, Type: req.Type,
		MaxEnrollments: req.MaxEnrollments, Attributes: req.Attributes, Affiliation: req.Affiliation}
	return map[string]any{"secret": req.Secret}, nil
}

func (s *Server) revoke(caller *Identity, body []byte) (any, *apiError) {
	if caller.attr("hf.Revoker") != "true" {
		return nil, fail(401, 7, "the caller is not a revoker")
	}
	var req fabricca.Revocation
	json.Unmarshal(body, &req)
	var serials []string
	switch {
	case req.ID != "":
		i := s.identities[req.ID]
		if i == nil {
			return nil, fail(404, 10, "identity not found")
		}
		if i != caller && !caller.manages(i) {
			return nil, fail(403, 71, "Authorization failure")
		}
		if i.Revoked {
			return nil, fail(400, 70, "identity is already revoked")
		}
		i.Revoked = true
		for serial, id := range s.issued {
			if id == req.ID {
				serials = append(serials, serial)
			}
		}
	default:
		owner, ok := s.issued[req.Serial]
		if !ok {
			return nil, fail(404, 8, "certificate not found")
		}
		if i := s.identities[owner]; i != caller && !caller.manages(i) {
			return nil, fail(403, 71, "Authorization failure")
		}
		if _, already := s.revoked[req.Serial]; already {
			return nil, fail(404, 66, "Certificate with serial "+req.Serial+" was already revoked")
		}
		serials = []string{req.Serial}
	}
	slices.Sort(serials)
	var revoked []map[string]string
	for _, serial := range serials {
		if _, already := s.revoked[serial]; !already {
			s.revoked[serial] = time.Now()
			revoked = append(revoked, map[string]string{"Serial": serial, "AKI": "01020304"})
		}
	}
	res := map[string]any{"RevokedCerts": revoked}
	if req.GenCRL {
		res["CRL"] = base64.StdEncoding.EncodeToString(s.crl())
	}
	return res, nil
}

// certificates lists the certificates of the identities the caller manages (GET certificates: id, notrevoked).
func (s *Server) certificates(caller *Identity, q map[string][]string) (any, *apiError) {
	if caller.attr("hf.Registrar.Roles") == "" && caller.attr("hf.Revoker") != "true" {
		return nil, fail(403, 71, "Authorization failure")
	}
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	serials := slices.Sorted(maps.Keys(s.issued))
	certs := []map[string]string{}
	for _, serial := range serials {
		i := s.identities[s.issued[serial]]
		if id := get("id"); id != "" && i.ID != id || !within(i.Affiliation, caller.Affiliation) {
			continue
		}
		if _, revoked := s.revoked[serial]; revoked && get("notrevoked") == "true" {
			continue
		}
		certs = append(certs, map[string]string{"PEM": string(s.certs[serial])})
	}
	return map[string]any{"certs": certs, "caname": s.Name}, nil
}

// crl is the CA's PEM CRL of every revoked certificate.
func (s *Server) crl() []byte {
	var entries []x509.RevocationListEntry
	for serial, at := range s.revoked {
		n, _ := new(big.Int).SetString(serial, 16)
		entries = append(entries, x509.RevocationListEntry{SerialNumber: n, RevocationTime: at})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(time.Now().UnixNano()), ThisUpdate: time.Now(), NextUpdate: time.Now().Add(24 * time.Hour),
		RevokedCertificateEntries: entries,
	}, s.Certificate, s.key)
	if err != nil {
		s.t.Errorf("fabricatest: creating the CRL: %v", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
}
