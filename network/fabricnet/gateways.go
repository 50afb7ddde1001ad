package fabricnet

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/deltaledger/deltaledger/internal/envfile"
)

// DemoKeysFile is where scripts/up.sh writes every org's gateway URL (<ORG>_GW), the CA of its TLS certificate
// (<ORG>_CA) and its demo members' API keys (<ORG>_<ROLE>_KEY).
func (c *Config) DemoKeysFile() string {
	return filepath.Join(c.StateDir(), "gateways", "demo-keys.env")
}

// DemoKeys reads DemoKeysFile.
func (c *Config) DemoKeys() (map[string]string, error) {
	keys, err := envfile.Read(c.DemoKeysFile())
	if err != nil {
		return nil, fmt.Errorf("the gateways' demo keys (make up writes them): %w", err)
	}
	return keys, nil
}

// GatewaysReady reports whether every org's REST gateway answers /readyz and the demo keys file exists.
func GatewaysReady(cfg *Config) error {
	for _, o := range cfg.Orgs {
		key := strings.ToUpper(o.Key) + "_GATEWAY_PORT"
		port := cfg.Values[key]
		if port == "" {
			return fmt.Errorf("network.env has no %s", key)
		}
		pem, err := os.ReadFile(cfg.TLSRootCertFile(o))
		if err != nil {
			return err
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		resp, err := hc.Get("https://" + net.JoinHostPort(o.Host, port) + "/readyz")
		if err != nil {
			return fmt.Errorf("gateway of %s: %w", o.Key, err)
		}
		resp.Body.Close()
		hc.CloseIdleConnections()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("gateway of %s: /readyz answered %s", o.Key, resp.Status)
		}
	}
	_, err := os.Stat(cfg.DemoKeysFile())
	return err
}

// EnsureGateways runs scripts/up.sh unless GatewaysReady (a network started before up.sh ran gateways, and reused
// with DELTALEDGER_REUSE_NETWORK=1, has none), and returns the demo keys.
func EnsureGateways(ctx context.Context, cfg *Config, out io.Writer) (map[string]string, error) {
	if err := GatewaysReady(cfg); err != nil {
		fmt.Fprintf(out, "starting the gateways: %v\n", err)
		if err := Up(ctx, cfg, out); err != nil {
			return nil, err
		}
		if err := GatewaysReady(cfg); err != nil {
			return nil, err
		}
	}
	return cfg.DemoKeys()
}
