package fabricca_test

import (
	"crypto/ecdsa"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/fabricca/fabricatest"
	"github.com/deltaledger/deltaledger/internal/filetest"
)

func TestReadMSPIdentity(t *testing.T) {
	dir := t.TempDir()
	id, keyPEM := writeIdentityFiles(t, filepath.Join(dir, "signcerts", "cert.pem"), filepath.Join(dir, "keystore", "abc_sk"))
	got, err := fabricca.ReadMSPIdentity(dir)
	require.NoError(t, err)
	assert.Equal(t, id.CertificatePEM, got.CertificatePEM)
	assert.True(t, got.Key.Public().(*ecdsa.PublicKey).Equal(id.Key.Public()))

	writeFile(t, filepath.Join(dir, "keystore", "second_sk"), keyPEM)
	_, err = fabricca.ReadMSPIdentity(dir)
	assert.ErrorContains(t, err, "exactly one file")
}

// A mounted secret's files are links (Kubernetes links each to a hidden folder of the current version).
func TestReadMSPIdentityFollowsLinks(t *testing.T) {
	secret, dir := t.TempDir(), t.TempDir()
	id, _ := writeIdentityFiles(t, filepath.Join(secret, "cert.pem"), filepath.Join(secret, "key.pem"))
	for sub, target := range map[string]string{fabricca.MSPSignCertsDir: "cert.pem", fabricca.MSPKeyStoreDir: "key.pem"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, sub), 0o700))
		require.NoError(t, os.Symlink(filepath.Join(secret, target), filepath.Join(dir, sub, target)))
	}
	got, err := fabricca.ReadMSPIdentity(dir)
	require.NoError(t, err)
	assert.Equal(t, id.CertificatePEM, got.CertificatePEM)
}

func TestWriteMSPWritesWhatReadMSPIdentityReads(t *testing.T) {
	ca := fabricatest.New(t)
	first, _ := enrollNew(t, ca.Client(), "admin", "adminpw")
	dir := filepath.Join(t.TempDir(), "msp")
	writeMSP := func(id *fabricca.Identity) {
		t.Helper()
		keyPEM, err := fabricca.MarshalPrivateKey(id.Key.(*ecdsa.PrivateKey))
		require.NoError(t, err)
		require.NoError(t, fabricca.WriteMSP(dir, keyPEM, []byte("the CA chain"), id.CertificatePEM))
		got, err := fabricca.ReadMSPIdentity(dir)
		require.NoError(t, err)
		assert.Equal(t, id.CertificatePEM, got.CertificatePEM)
		assert.True(t, got.Key.Public().(*ecdsa.PublicKey).Equal(id.Key.Public()))
		assertMode(t, filepath.Join(dir, fabricca.MSPKeyFile), 0o600)
		assertMode(t, filepath.Join(dir, fabricca.MSPKeyStoreDir), 0o700)
		chain, err := os.ReadFile(filepath.Join(dir, fabricca.MSPCAFile))
		require.NoError(t, err)
		assert.Equal(t, "the CA chain", string(chain))
	}
	writeMSP(first)

	// A key file someone opened to others is not kept open by the next enrollment written over it.
	require.NoError(t, os.Chmod(filepath.Join(dir, fabricca.MSPKeyFile), 0o644))
	second, _ := enrollNew(t, ca.Client(), "admin", "adminpw")
	writeMSP(second)
	entries, err := os.ReadDir(filepath.Join(dir, fabricca.MSPKeyStoreDir))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing left beside the key")
}

func TestWriteMSPWithoutAKeyWritesNoKeystore(t *testing.T) {
	ca := fabricatest.New(t)
	id, _ := enrollNew(t, ca.Client(), "admin", "adminpw")
	dir := filepath.Join(t.TempDir(), "msp")
	require.NoError(t, fabricca.WriteMSP(dir, nil, []byte("the CA chain"), id.CertificatePEM))
	assert.NoDirExists(t, filepath.Join(dir, fabricca.MSPKeyStoreDir))
	assert.FileExists(t, filepath.Join(dir, fabricca.MSPCertFile))
}

func TestMarshalPrivateKeyRefusesNoKey(t *testing.T) {
	_, err := fabricca.MarshalPrivateKey(nil)
	assert.Error(t, err)
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, want, info.Mode().Perm(), path)
}

// An MSP folder's signcerts/ holding a named pipe (FIFO) is refused at once, naming it: reading the identity stopped
// until something wrote to the pipe.
func TestReadMSPIdentityRefusesANamedPipe(t *testing.T) {
	dir := t.TempDir()
	writeIdentityFiles(t, filepath.Join(t.TempDir(), "cert.pem"), filepath.Join(dir, "keystore", "abc_sk"))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "signcerts"), 0o700))
	pipe := filepath.Join(dir, "signcerts", "cert.pem")
	require.NoError(t, syscall.Mkfifo(pipe, 0o644))
	err := filetest.Ends(t, "reading the MSP folder", func() error {
		_, err := fabricca.ReadMSPIdentity(dir)
		return err
	})
	require.ErrorContains(t, err, pipe)
	require.ErrorContains(t, err, "named pipe")
}

// A FIFO put in the place of a regular file while it is read is refused, never waited on: the file was judged by a
// look at its path before it was opened, so a swap in between stopped the reader (the gateway at its start or on
// SIGHUP) until something wrote to the pipe.
func TestReadMSPFileRefusesAPipeSwappedIn(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cert.pem")
	require.NoError(t, os.WriteFile(path, []byte("x"), 0o644))
	stop := make(chan struct{})
	swapped := make(chan struct{})
	go func() {
		defer close(swapped)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			next := filepath.Join(dir, fmt.Sprintf("next-%d", i))
			if i%2 == 0 {
				if syscall.Mkfifo(next, 0o644) != nil {
					return
				}
			} else if os.WriteFile(next, []byte("x"), 0o644) != nil {
				return
			}
			if os.Rename(next, path) != nil {
				return
			}
		}
	}()
	var regular, refused int
	filetest.Ends(t, "reading a file a pipe may be swapped for", func() error {
		for i := 0; i < 50000; i++ {
			if _, err := fabricca.ReadMSPFile(path); err == nil {
				regular++
			} else if strings.Contains(err.Error(), "named pipe") {
				refused++
			}
		}
		return nil
	})
	close(stop)
	<-swapped
	t.Logf("%d reads of a regular file, %d refusals of a pipe", regular, refused)
	assert.Positive(t, refused, "no read met a pipe: the swap did not happen")
}

// A socket in an MSP folder is refused by a look at its path, naming what it is, never opened (which fails on a
// socket with a text that names nothing).
func TestReadMSPFileRefusesASocketUnopened(t *testing.T) {
	dir, err := os.MkdirTemp("", "msp") // a socket's path is short
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "cert.pem")
	ln, err := net.Listen("unix", path)
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	_, err = fabricca.ReadMSPFile(path)
	require.ErrorContains(t, err, path)
	require.ErrorContains(t, err, "is a socket, not a regular file")
}
