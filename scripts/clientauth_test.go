package scripts_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/deltaledger/deltaledger/network/enroll"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// tlsCA is a stand-in for an org's TLS CA (scripts/lib/ca.sh): it issues the TLS certificates of the org's nodes
// and of every one of its users, all with server and client authentication (profile tls).
type tlsCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTLSCA(t *testing.T) *tlsCA {
	t.Helper()
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "tlsca.jiangsu.deltaledger.local"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key))
	return &tlsCA{cert: must(x509.ParseCertificate(der)), key: key,
		pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue writes a TLS certificate of the CA for cn with its key to path (.crt and .key) and returns them.
func (ca *tlsCA) issue(t *testing.T, cn, path string) tls.Certificate {
	t.Helper()
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	serial := must(rand.Int(rand.Reader, big.NewInt(1<<62)))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key))
	keyDER := must(x509.MarshalECPrivateKey(key))
	base := strings.TrimSuffix(path, ".crt")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(base+".crt", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	require.NoError(t, os.WriteFile(base+".key", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
	return must(tls.LoadX509KeyPair(base+".crt", base+".key"))
}

// accepts reports whether a TLS server whose client CAs are the PEM files named, requiring a client certificate,
// completes a handshake with a client that offers cert the way Fabric's Go clients do (osnadmin, the peer dialling
// a chaincode service: tls.Config.Certificates, offered only when its issuer is one of the server's acceptable
// CAs). The server is configured as Fabric's operations and admin servers (fabhttp: one pool of every file) and
// the chaincode shim's server are.
func accepts(t *testing.T, files []string, cert tls.Certificate) bool {
	t.Helper()
	require.NotEmpty(t, files)
	pool := x509.NewCertPool()
	for _, f := range files {
		require.True(t, pool.AppendCertsFromPEM(must(os.ReadFile(f))), "%s holds a certificate", f)
	}
	serverCert := selfSignedServer(t)
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()
	done := make(chan error, 1)
	go func() {
		s := tls.Server(server, &tls.Config{Certificates: []tls.Certificate{serverCert}, ClientCAs: pool,
			ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12})
		err := s.Handshake()
		if err == nil {
			_, err = s.Write([]byte{1}) // TLS 1.3: the client learns of a refusal on its first read
		}
		server.Close()
		done <- err
	}()
	c := tls.Client(client, &tls.Config{Certificates: []tls.Certificate{cert}, InsecureSkipVerify: true,
		MinVersion: tls.VersionTLS12})
	clientErr := c.Handshake()
	if clientErr == nil {
		_, clientErr = c.Read(make([]byte, 1))
	}
	client.Close()
	return <-done == nil && clientErr == nil
}

// selfSignedServer is a throwaway server certificate: the client above does not check it.
func selfSignedServer(t *testing.T) tls.Certificate {
	t.Helper()
	key := must(ecdsa.GenerateKey(elliptic.P256(), rand.Reader))
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "server"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der := must(x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key))
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// clientAuth is what an org's ordering node (orderer.yaml) and peer (core.yaml) require of a TLS client on the
// endpoints that authenticate it by the handshake alone: the client CA files each endpoint accepts.
type clientAuth struct {
	ordererAdminRequired bool // the admin endpoint requires a client certificate
	ordererAdmin         []string
	ordererOperations    []string
	peerOperations       []string
}

// readClientAuth reads the client CAs of an ordering node's configuration and a peer's as Fabric reads them.
func readClientAuth(t *testing.T, ordererYAML, coreYAML string) clientAuth {
	t.Helper()
	var orderer struct {
		Admin struct {
			TLS struct {
				ClientAuthRequired bool     `yaml:"ClientAuthRequired"`
				ClientRootCAs      []string `yaml:"ClientRootCAs"`
			} `yaml:"TLS"`
		} `yaml:"Admin"`
		Operations struct {
			TLS struct {
				ClientRootCAs []string `yaml:"ClientRootCAs"`
			} `yaml:"TLS"`
		} `yaml:"Operations"`
	}
	require.NoError(t, yaml.Unmarshal(must(os.ReadFile(ordererYAML)), &orderer))
	var peer struct {
		Operations struct {
			TLS struct {
				ClientRootCAs struct {
					Files []string `yaml:"files"`
				} `yaml:"clientRootCAs"`
			} `yaml:"tls"`
		} `yaml:"operations"`
	}
	require.NoError(t, yaml.Unmarshal(must(os.ReadFile(coreYAML)), &peer))
	return clientAuth{
		ordererAdminRequired: orderer.Admin.TLS.ClientAuthRequired,
		ordererAdmin:         orderer.Admin.TLS.ClientRootCAs,
		ordererOperations:    orderer.Operations.TLS.ClientRootCAs,
		peerOperations:       peer.Operations.TLS.ClientRootCAs.Files,
	}
}

// withConfigTemplates adds network/config to the checkout, for the scripts that render the nodes' configurations.
func withConfigTemplates(t *testing.T, c *checkout) {
	t.Helper()
	copyTree(t, filepath.Join("..", "network", "config"), filepath.Join(c.root, "network", "config"))
}

// orgTLS issues the TLS certificates of jiangsu's Admin, its holder, its REST gateway and its peer from a TLS CA
// in the layout of the checkout's state (with the TLS CA's certificate where org_tlsca names it), and has
// network/enroll write its pinned certificates, read where the scripts name them: the Admin's (admin_tls), the
// peer's (chaincode_client_tls) and Prometheus's (monitoring_tls); it returns them by name.
func orgTLS(t *testing.T, c *checkout) map[string]tls.Certificate {
	t.Helper()
	paths, err := c.bash(`o=jiangsu; org_tlsca $o; echo; echo "$(user_dir $o Admin)/tls/client.crt"; ` +
		`echo "$(user_dir $o holder)/tls/client.crt"; echo "$(gateway_crypto $o)/tls/server.crt"; ` +
		`echo "$(peer_crypto $o)/tls/server.crt"; admin_tls $o; echo; chaincode_client_tls $o; echo; monitoring_tls $o`)
	require.NoError(t, err, paths)
	p := strings.Fields(paths)
	require.Len(t, p, 8, paths)
	ca := newTLSCA(t)
	require.NoError(t, os.MkdirAll(filepath.Dir(p[0]), 0o755))
	require.NoError(t, os.WriteFile(p[0], ca.pem, 0o644))
	cfg, err := fabricnet.LoadConfig(c.root)
	require.NoError(t, err)
	org, err := cfg.Org("jiangsu")
	require.NoError(t, err)
	_, err = enroll.WritePins(cfg, org)
	require.NoError(t, err)
	pinned := func(base string) tls.Certificate { return must(tls.LoadX509KeyPair(base+".crt", base+".key")) }
	return map[string]tls.Certificate{
		"admin's TLS CA":          ca.issue(t, "Admin@jiangsu.deltaledger.local", p[1]),
		"holder":                  ca.issue(t, "User2@jiangsu.deltaledger.local", p[2]),
		"gateway":                 ca.issue(t, "gateway.jiangsu.deltaledger.local", p[3]),
		"peer":                    ca.issue(t, "peer0.jiangsu.deltaledger.local", p[4]),
		"admin":                   pinned(p[5]),
		"peer's chaincode client": pinned(p[6]),
		"monitoring":              pinned(p[7]),
	}
}

// The ordering node's admin endpoint (channel participation: join, remove a channel) authenticates its client by
// the TLS handshake alone, and /metrics and /logspec of the operations endpoints likewise: only the org's Admin
// passes the admin endpoint, and it and Prometheus's monitoring certificate the operations endpoints, never a
// member, the gateway or another node, although the org's TLS CA certifies them all.
func TestOnlyTheOrgAdminPassesTheAdminEndpointAndItAndMonitoringTheOperations(t *testing.T) {
	c := newCheckout(t)
	withConfigTemplates(t, c)
	certs := orgTLS(t, c)
	out, err := c.bash(`source scripts/lib/config.sh; write_orderer_config jiangsu; write_peer_config jiangsu; ` +
		`echo "$(node_dir orderer-jiangsu)/orderer.yaml"; echo "$(node_dir peer-jiangsu)/core.yaml"`)
	require.NoError(t, err, out)
	files := strings.Fields(out)
	require.Len(t, files, 2, out)

	ends := readClientAuth(t, files[0], files[1])

	require.True(t, ends.ordererAdminRequired)
	for endpoint, cas := range map[string][]string{
		"the ordering node's admin endpoint":      ends.ordererAdmin,
		"the ordering node's operations endpoint": ends.ordererOperations,
		"the peer's operations endpoint":          ends.peerOperations,
	} {
		require.True(t, accepts(t, cas, certs["admin"]), "%s accepts the org's Admin", endpoint)
		others := []string{"admin's TLS CA", "holder", "gateway", "peer", "peer's chaincode client"}
		if endpoint == "the ordering node's admin endpoint" {
			others = append(others, "monitoring")
		} else {
			require.True(t, accepts(t, cas, certs["monitoring"]), "%s accepts Prometheus's certificate", endpoint)
		}
		for _, other := range others {
			require.False(t, accepts(t, cas, certs[other]), "%s refuses the %s's TLS certificate", endpoint, other)
		}
	}
}

// Whoever connects to an org's chaincode service speaks to it as the peer does (the shim's server authenticates
// the client by the TLS handshake alone) and has it execute whatever it sends: only the org's peer, whose
// certificate the package's connection.json gives it, passes, not a member or another service of the org.
func TestOnlyTheOrgPeerConnectsToItsChaincodeService(t *testing.T) {
	c := newCheckout(t)
	certs := orgTLS(t, c)
	copyTree(t, filepath.Join(c.root, "bin", "peer"), filepath.Join(c.root, "bin", "deltaledger-cc"))
	out, err := c.bash(`source scripts/lib/config.sh; source scripts/lib/deploy.sh; DL_CC_BIN=$DL_BIN/deltaledger-cc; ` +
		`start_chaincode_service jiangsu deltaledger-test:0 >/dev/null 2>&1; echo "$DL_RUN/chaincode-jiangsu.args"`)
	require.NoError(t, err, out)
	var cas []string
	for _, arg := range strings.Split(string(must(os.ReadFile(strings.TrimSpace(out)))), "\x00") {
		if v, ok := strings.CutPrefix(arg, "CHAINCODE_TLS_CLIENT_CACERT="); ok {
			cas = append(cas, v)
		}
	}
	require.Len(t, cas, 1, "the service demands a client certificate")
	require.True(t, accepts(t, cas, certs["peer's chaincode client"]), "the org's peer connects")
	for _, other := range []string{"peer", "admin", "admin's TLS CA", "holder", "gateway"} {
		require.False(t, accepts(t, cas, certs[other]), "the %s's TLS certificate is refused", other)
	}
}
