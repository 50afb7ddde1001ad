package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// RestartSettings returns c without the settings that a running gateway
// takes again on SIGHUP (service.ReloadClientCAs: tls.clientCAs), leaving
// those that take effect only when it restarts.
func (c Config) RestartSettings() Config {
	c.TLS.ClientCAs = nil
	return c
}

// Digest is the SHA-256, in hex, of every setting's path and value in
// Settings' order: two configurations have the same digest when they are the
// same configuration, however their files are laid out or commented, and
// whether a value came from the file, the environment or a flag.
func (c Config) Digest() string {
	h := sha256.New()
	for _, s := range Settings(&c) {
		fmt.Fprintf(h, "%s=%q\n", s.Path, s.String())
	}
	return hex.EncodeToString(h.Sum(nil))
}
