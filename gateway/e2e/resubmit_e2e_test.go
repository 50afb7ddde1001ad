//go:build e2e

package e2e

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/fabric"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/internal/fabricca"
)

// A transaction written down and never sent (its gateway killed in between)
// commits when it is sent later; sending it once more changes nothing: the
// first commit's status stands. This is what lets a retry after a gateway
// crash send the recorded transaction again.
func TestAPreparedTransactionCommitsOnceHoweverOftenItIsSent(t *testing.T) {
	cfgNet := testNet.Config()
	org, err := cfgNet.Org("shanghai")
	require.NoError(t, err)
	walletDir := filepath.Join(t.TempDir(), "wallet")
	require.NoError(t, os.MkdirAll(walletDir, 0o700))
	require.NoError(t, os.Symlink(filepath.Dir(cfgNet.UserMSPDir(org, "holder")), filepath.Join(walletDir, "holder")))
	w, err := wallet.Load(walletDir, org.MSPID)
	require.NoError(t, err)
	ca, err := fabricca.ReadCertificate(cfgNet.TLSRootCertFile(org))
	require.NoError(t, err)
	l, err := fabric.Dial(fabric.Config{PeerAddress: org.PeerEndpoint, TLSRootCAs: []*x509.Certificate{ca},
		Channel: cfgNet.Channel, Chaincode: cfgNet.Chaincode}, w)
	require.NoError(t, err)
	t.Cleanup(func() { _ = l.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	apply := func(assetID string, options ...chain.CallOption) (*chain.Submitted, error) {
		sum := sha256.Sum256([]byte(assetID))
		return l.Submit(ctx, "holder", "assets:Apply", []string{assetID, "Resent " + assetID, "transport", "shanghai",
			"A transaction sent twice", hex.EncodeToString(sum[:])}, options...)
	}
	var prepared chain.Prepared
	killed := errors.New("the gateway was killed before sending")
	_, err = apply(id("resent"), chain.WithBeforeOrdering(func(p chain.Prepared) error { prepared = p; return killed }))
	require.ErrorIs(t, err, killed)
	require.NotEmpty(t, prepared.Transaction)
	waitShort, cancelShort := context.WithTimeout(ctx, 3*time.Second)
	st, err := l.CommitStatus(waitShort, "holder", prepared.TransactionID)
	cancelShort()
	require.NoError(t, err)
	assert.False(t, st.Committed, "a transaction never sent does not commit")

	require.NoError(t, l.Resubmit(ctx, "holder", prepared.Transaction))
	first, err := l.CommitStatus(ctx, "holder", prepared.TransactionID)
	require.NoError(t, err)
	require.True(t, first.Committed && first.Valid, "the transaction sent later commits: %+v", first)

	if err := l.Resubmit(ctx, "holder", prepared.Transaction); err != nil {
		t.Logf("sending it again was refused: %v", err)
	}
	// A transaction the member sends after the copy commits in a later
	// block, by when the orderers have, as a rule, ordered the copy too.
	later, err := apply(id("after-resent"))
	require.NoError(t, err)
	require.Greater(t, later.BlockNumber, first.BlockNumber)
	again, err := l.CommitStatus(ctx, "holder", prepared.TransactionID)
	require.NoError(t, err)
	assert.Equal(t, first, again, "the first commit's status stands")
}
