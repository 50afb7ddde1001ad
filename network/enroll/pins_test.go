package enroll_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/network/enroll"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Each pinned TLS client certificate is its own issuer under a common name of its own, so that an endpoint trusting
// one (the monitoring reader's at the operations endpoints) trusts no other (the admin's at the ordering node's
// admin endpoint); a second run keeps what the first wrote.
func TestEveryPinIsItsOwnIssuer(t *testing.T) {
	cfg := &fabricnet.Config{Root: t.TempDir()}
	o := fabricnet.Org{Key: "jiangsu", Domain: "jiangsu.deltaledger.local", Province: "Jiangsu", City: "Nanjing"}
	written, err := enroll.WritePins(cfg, o)
	require.NoError(t, err)
	require.Len(t, written, 3, "%v", written)
	files := map[string]string{
		enroll.AdminTLSPin:           filepath.Join(cfg.UserDir(o, "Admin"), "tls", enroll.AdminTLSPin),
		enroll.ChaincodeClientTLSPin: filepath.Join(cfg.NodeDir(o, fabricnet.NodePeer), "tls", enroll.ChaincodeClientTLSPin),
		enroll.MonitoringTLSPin:      filepath.Join(enroll.MonitoringTLSDir(cfg, o), enroll.MonitoringTLSPin),
	}
	subjects := map[string]string{}
	before := map[string][]byte{}
	for name, base := range files {
		b, err := os.ReadFile(base + ".crt")
		require.NoError(t, err, name)
		before[name] = b
		block, _ := pem.Decode(b)
		require.NotNil(t, block, name)
		cert, err := x509.ParseCertificate(block.Bytes)
		require.NoError(t, err, name)
		assert.Equal(t, cert.RawSubject, cert.RawIssuer, "%s is its own issuer", name)
		assert.NoError(t, cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature),
			"%s is signed by its own key", name)
		assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, cert.ExtKeyUsage, name)
		assert.Equal(t, []string{o.Domain}, cert.Subject.Organization, name)
		subject := cert.Subject.String()
		assert.NotContains(t, subjects, subject, "%s has the subject of %s", name, subjects[subject])
		subjects[subject] = name
		info, err := os.Stat(base + ".key")
		require.NoError(t, err, name)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), name)
	}

	written, err = enroll.WritePins(cfg, o)
	require.NoError(t, err)
	assert.Empty(t, written)
	for name, base := range files {
		b, err := os.ReadFile(base + ".crt")
		require.NoError(t, err)
		assert.Equal(t, before[name], b, "%s is kept", name)
	}
}
