package fabricca

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/deltaledger/deltaledger/internal/atomicfile"
)

// The folders of a Fabric MSP folder that hold an enrolled identity, as Fabric's tools and clients read them.
const (
	// MSPSignCertsDir holds the identity's one certificate.
	MSPSignCertsDir = "signcerts"
	// MSPKeyStoreDir holds the certificate's one private key (none for a key kept in a token).
	MSPKeyStoreDir = "keystore"
	// MSPCACertsDir holds the certificates of the CA that issued it.
	MSPCACertsDir = "cacerts"
)

// The other folders and the file of an MSP folder that defines an org's MSP (the admin's, a node's), as Fabric's
// tools read them.
const (
	// MSPIntermediateCertsDir holds the certificates of intermediate CAs.
	MSPIntermediateCertsDir = "intermediatecerts"
	// MSPAdminCertsDir holds the certificates the MSP names admins explicitly (none with NodeOUs).
	MSPAdminCertsDir = "admincerts"
	// MSPTLSCACertsDir holds the certificates of the org's TLS root CAs.
	MSPTLSCACertsDir = "tlscacerts"
	// MSPTLSIntermediateCertsDir holds the certificates of the org's TLS intermediate CAs.
	MSPTLSIntermediateCertsDir = "tlsintermediatecerts"
	// MSPCRLsDir holds the CRLs of the MSP's CAs: Fabric takes no identity one of them lists.
	MSPCRLsDir = "crls"
	// MSPConfigFile is the MSP's NodeOUs and OU identifiers.
	MSPConfigFile = "config.yaml"
)

// The names WriteMSP gives an MSP folder's files, relative to the folder. A folder that another tool wrote may name
// them otherwise (fabric-ca-client names the key after its SKI); MSPFiles finds them by folder.
var (
	// MSPCertFile is the identity's certificate.
	MSPCertFile = filepath.Join(MSPSignCertsDir, "cert.pem")
	// MSPKeyFile is the certificate's private key.
	MSPKeyFile = filepath.Join(MSPKeyStoreDir, "priv_sk")
	// MSPCAFile is the chain of the issuing CA.
	MSPCAFile = filepath.Join(MSPCACertsDir, "ca.pem")
)

// WriteMSP writes an enrolled identity as the MSP folder dir: the private key keyPEM (mode 600; none when keyPEM is
// nil, for a key kept in a token), the CA chain and, last, the certificate, so that a folder with a certificate is
// complete. Each file is written whole or not at all (a new temporary file with the file's mode, renamed over the
// old one), so it also replaces an earlier enrollment of the same folder; folders it creates are mode 700.
func WriteMSP(dir string, keyPEM, caChainPEM, certPEM []byte) error {
	type file struct {
		name string
		data []byte
		mode os.FileMode
	}
	files := []file{{MSPCAFile, caChainPEM, 0o644}, {MSPCertFile, certPEM, 0o644}}
	if keyPEM != nil {
		files = append([]file{{MSPKeyFile, keyPEM, 0o600}}, files...)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return err
		}
		if _, err := atomicfile.WriteIfChanged(path, f.data, f.mode); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
	}
	return nil
}

// MSPFiles returns the paths of the one certificate in the MSP folder dir's signcerts/ and the one key in its
// keystore/, whatever their names.
func MSPFiles(dir string) (certFile, keyFile string, err error) {
	if certFile, err = onlyFile(filepath.Join(dir, MSPSignCertsDir)); err != nil {
		return "", "", err
	}
	if keyFile, err = onlyFile(filepath.Join(dir, MSPKeyStoreDir)); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

// ReadMSPIdentity loads the identity of an MSP folder: the one certificate in signcerts/ and the one key in
// keystore/.
func ReadMSPIdentity(dir string) (*Identity, error) {
	cert, key, err := MSPFiles(dir)
	if err != nil {
		return nil, err
	}
	return ReadIdentity(cert, key)
}

// onlyFile is the path of the one file in dir: any entry but a folder, since a mounted secret's files are links.
func onlyFile(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() {
			found = append(found, e.Name())
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%s must hold exactly one file, holds %d", dir, len(found))
	}
	return filepath.Join(dir, found[0]), nil
}

// MSPFolderCertificates returns the DER certificates of every file of the folders subs of dir; a missing folder has none.
func MSPFolderCertificates(dir string, subs ...string) ([][]byte, error) {
	return mspFolderPEM(dir, "CERTIFICATE", subs...)
}

// MSPFolderCRLs returns the DER CRLs (PEM "X509 CRL" blocks) of every file of dir's crls/; a missing folder has none.
func MSPFolderCRLs(dir string) ([][]byte, error) {
	return mspFolderPEM(dir, "X509 CRL", MSPCRLsDir)
}

// mspFolderPEM returns the DER bytes of the PEM blocks of type blockType of every file of the folders subs of dir;
// a missing folder has none.
func mspFolderPEM(dir, blockType string, subs ...string) ([][]byte, error) {
	var out [][]byte
	for _, sub := range subs {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, sub, e.Name()))
			if err != nil {
				return nil, err
			}
			out = append(out, pemBlocks(b, blockType)...)
		}
	}
	return out, nil
}
