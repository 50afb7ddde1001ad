package auth

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// SenderDigest is how the ledger index names the sender of a transaction: the SHA-256 (hex) of its KeyedIdentity,
// the name of a member who signs itself. A digest of fixed length, not the name: the index keeps no subject, and a
// certificate of the same identity over another key has another digest, as it has another name.
func SenderDigest(keyedIdentity string) string {
	sum := sha256.Sum256([]byte(keyedIdentity))
	return hex.EncodeToString(sum[:])
}

// CreatorDigest is the SenderDigest of a transaction's creator, given as its block holds it (the certificate, PEM);
// "" for a creator that is no X.509 certificate, which names no sender.
func CreatorDigest(creator []byte) string {
	cert, err := fabricca.ParseCertificate(creator)
	if err != nil {
		return ""
	}
	return SenderDigest(KeyedIdentity(cert))
}
