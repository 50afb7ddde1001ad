package main

import (
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/deltaledger/deltaledger/internal/atomicfile"
)

// connection is the connection.json of a chaincode-as-a-service package:
// where the peer dials the chaincode service, and with which TLS material
// (Fabric's external builder reads these field names).
type connection struct {
	Address            string `json:"address"`
	DialTimeout        string `json:"dial_timeout"`
	TLSRequired        bool   `json:"tls_required"`
	ClientAuthRequired bool   `json:"client_auth_required"`
	RootCert           string `json:"root_cert"`
	ClientCert         string `json:"client_cert"`
	ClientKey          string `json:"client_key"`
}

// packageMetadata is the metadata.json of a chaincode package.
type packageMetadata struct {
	Type  string `json:"type"`
	Label string `json:"label"`
}

// runCCaaS writes DIR/metadata.json and DIR/src/connection.json of a
// chaincode-as-a-service package for one peer: the service's address, the
// TLS CA certificate that issued the service's certificate, and the peer's
// TLS certificate and key as its client identity (the service requires
// client certificates), so connection.json is readable by its owner only.
// The scripts pack them (scripts/lib/config.sh).
func runCCaaS(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("ccaas", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "the package's folder (required)")
	label := fs.String("label", "", "the package's label (required)")
	address := fs.String("address", "", "host:port of the chaincode service (required)")
	rootCert := fs.String("root-cert", "", "PEM file of the CA that issued the service's TLS certificate (required)")
	clientCert := fs.String("client-cert", "", "PEM file of the peer's TLS client certificate (required)")
	clientKey := fs.String("client-key", "", "PEM file of the peer's TLS client key (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("ccaas: unexpected argument %q", fs.Arg(0))
	}
	for _, f := range []struct{ name, value string }{{"dir", *dir}, {"label", *label}, {"address", *address},
		{"root-cert", *rootCert}, {"client-cert", *clientCert}, {"client-key", *clientKey}} {
		if f.value == "" {
			return fmt.Errorf("ccaas: -%s is required", f.name)
		}
	}
	if err := checkAddress(*address); err != nil {
		return fmt.Errorf("ccaas: -address %w", err)
	}
	c := connection{Address: *address, DialTimeout: "10s", TLSRequired: true, ClientAuthRequired: true}
	for _, f := range []struct {
		flag string
		path string
		into *string
	}{{"root-cert", *rootCert, &c.RootCert}, {"client-cert", *clientCert, &c.ClientCert}, {"client-key", *clientKey, &c.ClientKey}} {
		b, err := readPEM(f.path)
		if err != nil {
			return fmt.Errorf("ccaas: -%s: %w", f.flag, err)
		}
		*f.into = b
	}
	conn, err := indented(c)
	if err != nil {
		return err
	}
	meta, err := json.Marshal(packageMetadata{Type: "ccaas", Label: *label})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(*dir, "src"), 0o700); err != nil {
		return err
	}
	if _, err := atomicfile.WriteIfChanged(filepath.Join(*dir, "src", "connection.json"), conn, 0o600); err != nil {
		return err
	}
	_, err = atomicfile.WriteIfChanged(filepath.Join(*dir, "metadata.json"), append(meta, '\n'), 0o644)
	return err
}

// checkAddress accepts host:port with a port from 1 to 65535.
func checkAddress(address string) error {
	host, port, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("must be host:port, got %q", address)
	}
	if n, err := strconv.Atoi(port); host == "" || err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("must be host:port with a port from 1 to 65535, got %q", address)
	}
	return nil
}

// readPEM reads a file that must hold PEM blocks.
func readPEM(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if block, _ := pem.Decode(b); block == nil {
		return "", fmt.Errorf("%s holds no PEM block", path)
	}
	return string(b), nil
}

// indented is v as indented JSON ending in a newline.
func indented(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
