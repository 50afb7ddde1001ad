package pkcs11_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/pkcs11"
	"github.com/deltaledger/deltaledger/client/pkcs11/softhsm"
)

func TestAKeyMadeInTheTokenSignsThereAndIsFoundAgainByItsPublicKey(t *testing.T) {
	tok := softhsm.NewToken(t, "member")
	token, err := pkcs11.Open(tok.Library, tok.Label, tok.PIN)
	require.NoError(t, err)
	key, err := token.GenerateKey("member-key")
	require.NoError(t, err)
	pub := key.Public().(*ecdsa.PublicKey)

	digest := sha256.Sum256([]byte("proposal"))
	sig, err := client.SignDigest(key, digest[:])
	require.NoError(t, err)
	assert.True(t, ecdsa.VerifyASN1(pub, digest[:], sig))

	// A certificate request signed in the token, as enrollment makes it.
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "91320000MA1FL1700R"}}, key)
	require.NoError(t, err)
	csr, err := x509.ParseCertificateRequest(der)
	require.NoError(t, err)
	require.NoError(t, csr.CheckSignature())
	assert.True(t, pub.Equal(csr.PublicKey))
	require.NoError(t, token.Close())

	// Another session (another process, later) finds the key by the certificate's public key.
	again, err := pkcs11.Open(tok.Library, tok.Label, tok.PIN)
	require.NoError(t, err)
	defer again.Close()
	found, err := again.Key(pub)
	require.NoError(t, err)
	sig, err = client.SignDigest(found, digest[:])
	require.NoError(t, err)
	assert.True(t, ecdsa.VerifyASN1(pub, digest[:], sig))

	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	_, err = again.Key(&other.PublicKey)
	assert.ErrorContains(t, err, "holds no private key")
}

func TestTheTokenRefusesAWrongPINAndAnUnknownLabel(t *testing.T) {
	tok := softhsm.NewToken(t, "member")
	_, err := pkcs11.Open(tok.Library, tok.Label, "00000000")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "CKR_PIN_INCORRECT")
	assert.NotContains(t, err.Error(), "00000000", "the PIN is never part of an error")
	_, err = pkcs11.Open(tok.Library, "nobody", tok.PIN)
	assert.ErrorContains(t, err, `no token labelled "nobody"`)
	_, err = pkcs11.Open(tok.Library, tok.Label, "")
	assert.ErrorContains(t, err, "PIN is required")
}

func TestTheTokensKeyCannotBeExtracted(t *testing.T) {
	tok := softhsm.NewToken(t, "member")
	token, err := pkcs11.Open(tok.Library, tok.Label, tok.PIN)
	require.NoError(t, err)
	defer token.Close()
	key, err := token.GenerateKey("k")
	require.NoError(t, err)
	assert.False(t, pkcs11.Extractable(token, key), "CKA_VALUE of the private key must not be readable")
}
