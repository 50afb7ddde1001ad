package client

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"os"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/private"
)

// Signer is a member's signing key wherever it is kept: a key file (LoadKeyFile), a PKCS#11 token such as an HSM
// or a USB key (package client/pkcs11), or any crypto.Signer of a P-256 ECDSA key. The SDK hashes what it signs
// itself and hands the key only SHA-256 digests; the key never leaves where it is kept.
type Signer interface {
	crypto.Signer
}

// LoadKeyFile reads a member's PEM private key (PKCS#8 or SEC 1, as WriteMSP writes keystore/priv_sk). It refuses a
// key file that its group or other users may read (CheckKeyFileMode).
func LoadKeyFile(path string) (Signer, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the key file: %w", err)
	}
	if err := checkKeyMode(path, info); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the key file: %w", err)
	}
	key, err := fabricca.ParsePrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the key file: %w", err)
	}
	if key.Curve != elliptic.P256() {
		return nil, failuref("the key file %s does not hold a P-256 ECDSA key", path)
	}
	return key, nil
}

// CheckKeyFileMode refuses a private key file that its group or other users may read, as LoadKeyFile does: for a
// key loaded otherwise, such as a TLS client certificate's, which authenticates as its member too. A file it cannot
// stat is left for what reads it to report.
func CheckKeyFileMode(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	return checkKeyMode(path, info)
}

// checkKeyMode refuses the key file path, of info, when its group or other users may read it.
func checkKeyMode(path string, info os.FileInfo) error {
	if private.OthersMayRead(info) {
		return failuref("the key file %s may be read by others (mode %s); chmod 600 it", path, fmt.Sprintf("%04o", info.Mode().Perm()))
	}
	return nil
}

// SignDigest signs a SHA-256 digest with s and returns the signature as Fabric accepts it: ASN.1 DER ECDSA with S
// in the lower half of the curve's order (Fabric refuses the other half, which would make a second valid signature
// of the same digest). The signature is checked against s's public key before it is returned, so a token that
// signs with another key than the one named is caught here.
func SignDigest(s Signer, digest []byte) ([]byte, error) {
	if len(digest) != sha256.Size {
		return nil, fmt.Errorf("deltaledger: a digest to sign is %d bytes (SHA-256), not %d", sha256.Size, len(digest))
	}
	pub, ok := s.Public().(*ecdsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("deltaledger: the signer's key is %T, not ECDSA", s.Public())
	}
	der, err := s.Sign(rand.Reader, digest, crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: signing: %w", err)
	}
	var sig struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(der, &sig); err != nil || len(rest) > 0 {
		return nil, errors.New("deltaledger: the signer answered something other than an ASN.1 ECDSA signature")
	}
	n := pub.Curve.Params().N
	if sig.S.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
		sig.S.Sub(n, sig.S)
	}
	if !ecdsa.Verify(pub, digest, sig.R, sig.S) {
		return nil, errors.New("deltaledger: the signature does not verify with the signer's public key")
	}
	return asn1.Marshal(sig)
}
