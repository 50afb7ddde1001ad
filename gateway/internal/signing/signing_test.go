package signing

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func certificate(t testing.TB, cn string) (*x509.Certificate, *ecdsa.PrivateKey) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: cn}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert, key
}

func TestACallIsTakenOnlyByItsOwnerAtItsStepBeforeItExpires(t *testing.T) {
	owner, _ := certificate(t, "owner")
	other, _ := certificate(t, "other")
	s := NewStore(time.Minute, 2, manyAnswers, 1<<20)
	now := time.Now()
	s.now = func() time.Time { return now }
	require.NoError(t, s.Put(&Call{TransactionID: "tx1", Owner: owner, Step: StepProposal}))

	_, err := s.Take(other, "tx1", StepProposal)
	assert.ErrorIs(t, err, ErrNoSuchCall)
	_, err = s.Take(owner, "tx1", StepTransaction)
	assert.ErrorIs(t, err, ErrNoSuchCall)
	c, err := s.Take(owner, "tx1", StepProposal)
	require.NoError(t, err)
	_, err = s.Take(owner, "tx1", StepProposal)
	assert.ErrorIs(t, err, ErrNoSuchCall, "one request at a time continues a call")

	require.NoError(t, s.Put(c))
	now = now.Add(2 * time.Minute)
	_, err = s.Take(owner, "tx1", StepProposal)
	assert.ErrorIs(t, err, ErrNoSuchCall, "forgotten after its TTL")
}

func TestAMemberKeepsAtMostItsShareOfWaitingCalls(t *testing.T) {
	owner, _ := certificate(t, "owner")
	other, _ := certificate(t, "other")
	s := NewStore(time.Minute, 2, manyAnswers, 1<<20)
	require.NoError(t, s.Put(&Call{TransactionID: "a", Owner: owner}))
	require.NoError(t, s.Put(&Call{TransactionID: "b", Owner: owner}))
	assert.ErrorIs(t, s.Put(&Call{TransactionID: "c", Owner: owner}), ErrTooMany)
	assert.NoError(t, s.Put(&Call{TransactionID: "d", Owner: other}), "another member's share is its own")
}

func TestIdempotencyKeysAreTheOwnersAndBoundToTheirRequest(t *testing.T) {
	owner, _ := certificate(t, "owner")
	other, _ := certificate(t, "other")
	s := NewStore(time.Minute, 4, manyAnswers, 1<<20)
	c := &Call{TransactionID: "tx1", Owner: owner, Step: StepTransaction, Key: "k", Fingerprint: "f1"}
	require.NoError(t, s.Put(c))

	found, done, err := s.Find(owner, "k", "f1")
	require.NoError(t, err)
	assert.Equal(t, c, found, "a copy of the waiting call")
	assert.NotSame(t, c, found, "the store's own call is continued by Take, and moves on while the retry answers its copy")
	assert.Nil(t, done)
	_, _, err = s.Find(owner, "k", "f2")
	assert.ErrorIs(t, err, ErrKeyReused)
	found, done, err = s.Find(other, "k", "f1")
	require.NoError(t, err)
	assert.Nil(t, found, "another member's key is another key")
	assert.Nil(t, done)

	taken, err := s.Take(owner, "tx1", StepTransaction)
	require.NoError(t, err)
	_, _, err = s.Find(owner, "k", "f1")
	assert.ErrorIs(t, err, ErrInProgress, "a retry while a step runs starts nothing")
	s.Finish(taken, 201, []byte(`{"transaction_id":"tx1"}`))
	_, done, err = s.Find(owner, "k", "f1")
	require.NoError(t, err)
	require.NotNil(t, done)
	assert.Equal(t, 201, done.Status)
}

func TestVerifyNamesWhyASignatureIsRefused(t *testing.T) {
	owner, key := certificate(t, "91320500MA1FL1700R")
	_, otherKey := certificate(t, "other")
	digest := sha256.Sum256([]byte("proposal"))
	sign := func(k *ecdsa.PrivateKey, high bool) []byte {
		r, sv, err := ecdsa.Sign(rand.Reader, k, digest[:])
		require.NoError(t, err)
		n := k.Curve.Params().N
		if (sv.Cmp(new(big.Int).Rsh(n, 1)) > 0) != high {
			sv.Sub(n, sv)
		}
		der, err := marshal(r, sv)
		require.NoError(t, err)
		return der
	}
	assert.NoError(t, Verify(owner, digest[:], sign(key, false)))
	assert.ErrorContains(t, Verify(owner, digest[:], sign(key, true)), "low-S")
	err := Verify(owner, digest[:], sign(otherKey, false))
	assert.ErrorContains(t, err, "does not verify with the public key of the caller's certificate")
	assert.ErrorContains(t, err, "91320500MA1FL1700R")
	assert.ErrorContains(t, Verify(owner, digest[:], []byte("junk")), "not an ASN.1 DER ECDSA signature")
}
