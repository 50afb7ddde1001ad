package wallet_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/wallet"
	"github.com/deltaledger/deltaledger/gateway/internal/wallet/wallettest"
	"github.com/deltaledger/deltaledger/internal/filetest"
)

func TestLoadBothLayouts(t *testing.T) {
	dir := t.TempDir()
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	flat := ca.Issue(t, "alice", "client")
	wallettest.WriteMember(t, dir, "alice", flat)

	// The MSP layout of a Fabric CA enrollment.
	msp := ca.Issue(t, "User1@shanghai", "client")
	tlsCert := ca.Issue(t, "User1@shanghai", "client")
	d := filepath.Join(dir, "User1@shanghai")
	require.NoError(t, os.MkdirAll(filepath.Join(d, "msp", "signcerts"), 0o700))
	require.NoError(t, os.MkdirAll(filepath.Join(d, "msp", "keystore"), 0o700))
	require.NoError(t, os.MkdirAll(filepath.Join(d, "tls"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(d, "msp", "signcerts", "cert.pem"), msp.CertPEM(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(d, "msp", "keystore", "priv_sk"), msp.KeyPEM(), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(d, "tls", "client.crt"), tlsCert.CertPEM(), 0o644))

	w, err := wallet.Load(dir, "ShanghaiMSP")
	require.NoError(t, err)
	assert.Equal(t, []string{"User1@shanghai", "alice"}, w.Names())
	m, ok := w.Member("User1@shanghai")
	require.True(t, ok)
	assert.Equal(t, "ShanghaiMSP", m.MSPID)
	assert.Len(t, m.ClientCertificates, 1)
	assert.Equal(t, wallet.IdentityOf(msp.Certificate), m.Identity())
}

func TestLoadRefusesAnExposedKey(t *testing.T) {
	dir := t.TempDir()
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	wallettest.WriteMember(t, dir, "alice", ca.Issue(t, "alice", "client"))
	require.NoError(t, os.Chmod(filepath.Join(dir, "alice", "key.pem"), 0o640))
	_, err := wallet.Load(dir, "ShanghaiMSP")
	assert.ErrorIs(t, err, wallet.ErrKeyExposed)
}

func TestLoadRefusesAnEmptyWallet(t *testing.T) {
	_, err := wallet.Load(t.TempDir(), "ShanghaiMSP")
	assert.Error(t, err)
}

// A member's key file that is a named pipe (FIFO) refuses the wallet at once, naming it: loading the wallet, and the
// gateway's start, stopped until something wrote to the pipe.
func TestLoadRefusesAKeyThatIsANamedPipe(t *testing.T) {
	dir := t.TempDir()
	ca := wallettest.NewCA(t, "ShanghaiMSP")
	wallettest.WriteMember(t, dir, "alice", ca.Issue(t, "alice", "client"))
	key := filepath.Join(dir, "alice", "key.pem")
	require.NoError(t, os.Remove(key))
	require.NoError(t, syscall.Mkfifo(key, 0o600))
	err := filetest.Ends(t, "loading the wallet", func() error {
		_, err := wallet.Load(dir, "ShanghaiMSP")
		return err
	})
	require.ErrorContains(t, err, key)
	require.ErrorContains(t, err, "named pipe")
}
