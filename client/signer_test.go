package client

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client/pkcs11"
	"github.com/deltaledger/deltaledger/client/pkcs11/softhsm"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/model"
)

// highS signs with key and answers the signature with S in the upper half, as a careless token may.
type highS struct{ *ecdsa.PrivateKey }

func (h highS) Sign(r io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	der, err := h.PrivateKey.Sign(r, digest, opts)
	if err != nil {
		return nil, err
	}
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		return nil, err
	}
	n := h.Curve.Params().N
	if sig.S.Cmp(new(big.Int).Rsh(n, 1)) <= 0 {
		sig.S.Sub(n, sig.S)
	}
	return asn1.Marshal(sig)
}

// liar claims one public key and signs with another.
type liar struct {
	crypto.Signer
	claimed crypto.PublicKey
}

func (l liar) Public() crypto.PublicKey { return l.claimed }

func lowS(t *testing.T, pub *ecdsa.PublicKey, sig []byte) bool {
	var s struct{ R, S *big.Int }
	_, err := asn1.Unmarshal(sig, &s)
	require.NoError(t, err)
	return s.S.Cmp(new(big.Int).Rsh(pub.Curve.Params().N, 1)) <= 0
}

func TestSignDigestAnswersLowSSignaturesOfTheSignersKey(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	digest := sha256.Sum256([]byte("transaction"))
	for range 8 { // half of ECDSA signatures have a high S; the upper half is refused by Fabric
		sig, err := SignDigest(highS{key}, digest[:])
		require.NoError(t, err)
		assert.True(t, ecdsa.VerifyASN1(&key.PublicKey, digest[:], sig))
		assert.True(t, lowS(t, &key.PublicKey, sig))
	}

	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, err := SignDigest(liar{key, &other.PublicKey}, digest[:])
	assert.ErrorContains(t, err, "does not verify with the signer's public key")
	_, err = SignDigest(key, []byte("not a digest"))
	assert.ErrorContains(t, err, "SHA-256")
}

func TestLoadKeyFileRefusesAKeyOthersMayRead(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	path := filepath.Join(t.TempDir(), "priv_sk")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o644))
	_, err := LoadKeyFile(path)
	assert.ErrorContains(t, err, "may be read by others")

	require.NoError(t, os.Chmod(path, 0o600))
	s, err := LoadKeyFile(path)
	require.NoError(t, err)
	assert.True(t, key.PublicKey.Equal(s.Public()))

	require.NoError(t, os.WriteFile(path, []byte("junk"), 0o600))
	_, err = LoadKeyFile(path)
	assert.Error(t, err)
}

func TestEnrollWithAKeyKeptInASoftHSMToken(t *testing.T) {
	const uscc = "91310000MA1FL1800B"
	ca := fabricatest.New(t)
	ca.Add(&fabricatest.Identity{ID: uscc, Secret: "s3cret", Type: "client", MaxEnrollments: 1,
		Attributes: []fabricca.Attribute{{Name: model.AttrUSCC, Value: uscc, ECert: true}}})
	g := enrollingGateway(t, ca, false)

	tok := softhsm.NewToken(t, "enterprise")
	token, err := pkcs11.Open(tok.Library, tok.Label, tok.PIN)
	require.NoError(t, err)
	defer token.Close()
	key, err := token.GenerateKey(uscc)
	require.NoError(t, err)

	e, err := g.c.Members().EnrollWithSigner(context.Background(), uscc, "s3cret", key)
	require.NoError(t, err)
	assert.Nil(t, e.Key)
	cert, err := fabricca.ParseCertificate(e.CertificatePEM)
	require.NoError(t, err)
	assert.True(t, key.Public().(*ecdsa.PublicKey).Equal(cert.PublicKey))

	dir := t.TempDir()
	require.NoError(t, e.WriteMSP(dir))
	assert.NoFileExists(t, filepath.Join(dir, "keystore", "priv_sk"), "a token's key is never written out")
	assert.FileExists(t, filepath.Join(dir, "signcerts", "cert.pem"))
	assert.ErrorContains(t, e.WriteMSP(dir), "exists")

	// A dishonest gateway answering a certificate of another key is caught.
	ca.Add(&fabricatest.Identity{ID: "91310000MA1FL1900X", Secret: "s3cret", Type: "client", MaxEnrollments: 1})
	_, err = enrollingGateway(t, ca, true).c.Members().EnrollWithSigner(context.Background(), "91310000MA1FL1900X", "s3cret", key)
	assert.ErrorContains(t, err, "not of the key generated here")
}
