package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// RestartSettings returns c without the settings that a running gateway
// takes again on SIGHUP (service.ReloadClientCAs: tls.clientCAs and
// tls.orgMSP), leaving those that take effect only when it restarts.
func (c Config) RestartSettings() Config {
	c.TLS.ClientCAs, c.TLS.OrgMSP = nil, ""
	return c
}

// Digest is the SHA-256, in hex, of every setting's path and value in
// Settings' order: two configurations have the same digest when they are the
// same configuration, however their files are laid out or commented, and
// whether a value came from the file, the environment or a flag. A secret
// (index.dsn's password) is left out: the digest is printed for scripts, and
// whoever knew the other settings could test guesses of it offline. So a
// change of the password alone leaves the digest as it was.
func (c Config) Digest() string {
	h := sha256.New()
	for _, s := range Settings(&c) {
		value, _ := s.withoutSecret()
		fmt.Fprintf(h, "%s=%q\n", s.Path, value)
	}
	return hex.EncodeToString(h.Sum(nil))
}
