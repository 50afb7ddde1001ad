package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testPEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

func pemFiles(t *testing.T) (dir, root, cert, key string) {
	dir = t.TempDir()
	root, cert, key = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	for _, f := range []string{root, cert, key} {
		require.NoError(t, os.WriteFile(f, []byte(testPEM), 0o600))
	}
	return dir, root, cert, key
}

// The package's two files: the label and type Fabric reads, and the
// service's address with the TLS material, each PEM file's text as it is.
func TestCCaaSWritesTheConnectionAndMetadata(t *testing.T) {
	dir, root, cert, key := pemFiles(t)
	pkg := filepath.Join(dir, "pkg")
	require.NoError(t, run([]string{"ccaas", "-dir", pkg, "-label", "deltaledger-0123abcd", "-address", "127.0.0.1:27171",
		"-root-cert", root, "-client-cert", cert, "-client-key", key}, io.Discard))
	meta, err := os.ReadFile(filepath.Join(pkg, "metadata.json"))
	require.NoError(t, err)
	assert.Equal(t, `{"type":"ccaas","label":"deltaledger-0123abcd"}`+"\n", string(meta))
	b, err := os.ReadFile(filepath.Join(pkg, "src", "connection.json"))
	require.NoError(t, err)
	var c map[string]any
	require.NoError(t, json.Unmarshal(b, &c))
	assert.Equal(t, map[string]any{"address": "127.0.0.1:27171", "dial_timeout": "10s", "tls_required": true,
		"client_auth_required": true, "root_cert": testPEM, "client_cert": testPEM, "client_key": testPEM}, c)
}

func TestCCaaSRefusesBadInput(t *testing.T) {
	dir, root, cert, key := pemFiles(t)
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("hello"), 0o600))
	base := func(address, rootCert string) []string {
		return []string{"ccaas", "-dir", filepath.Join(dir, "pkg"), "-label", "l", "-address", address,
			"-root-cert", rootCert, "-client-cert", cert, "-client-key", key}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ccaas", "-dir", dir}, "-label is required"},
		{base("127.0.0.1", root), "-address must be host:port"},
		{base("127.0.0.1:0", root), "a port from 1 to 65535"},
		{base("127.0.0.1:27171", notPEM), "-root-cert: " + notPEM + " holds no PEM block"},
		{base("127.0.0.1:27171", filepath.Join(dir, "missing.pem")), "-root-cert: open"},
	} {
		err := run(tc.args, io.Discard)
		if assert.Error(t, err, "%q", tc.args) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	_, err := os.Stat(filepath.Join(dir, "pkg"))
	assert.True(t, os.IsNotExist(err), "a refused invocation writes nothing")
}
