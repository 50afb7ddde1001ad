// Package participants is the registry of who takes part in the market and
// in which roles. Every other contract authorises its caller through it.
//
// A participant is an X.509 identity of one org's MSP. The org's admin (a
// Fabric NodeOU admin of that MSP) registers it with roles, so that roles can
// change without reissuing certificates.
package participants

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
)

// IdentityOf names an X.509 identity the way Fabric's client identity library
// does: subject and issuer distinguished names. Reissued certificates with the
// same subject and issuer keep the identity.
func IdentityOf(cert *x509.Certificate) string {
	return "x509::" + cert.Subject.String() + "::" + cert.Issuer.String()
}

// identityKey is the index attribute of an identity: its SHA-256, short and
// free of characters that composite keys refuse.
func identityKey(identity string) string {
	sum := sha256.Sum256([]byte(identity))
	return hex.EncodeToString(sum[:])
}
