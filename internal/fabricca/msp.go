package fabricca

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"gopkg.in/yaml.v3"

	"github.com/deltaledger/deltaledger/internal/atomicfile"
	"github.com/deltaledger/deltaledger/model"
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

// mspFolderPEM returns the DER bytes of the PEM blocks of type blockType of every file of the folders subs of dir
// (ReadMSPFile); a missing folder has none, and a folder in one (or a link to a folder) is left, as Fabric leaves it.
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
			path := filepath.Join(dir, sub, e.Name())
			if info, err := os.Stat(path); err == nil && info.IsDir() {
				continue
			}
			b, err := ReadMSPFile(path)
			if err != nil {
				return nil, err
			}
			out = append(out, pemBlocks(b, blockType)...)
		}
	}
	return out, nil
}

// MaxMSPFileBytes bounds each file read from an MSP folder (ReadMSPFile): 16 MiB, room for a CA's CRL of hundreds
// of thousands of revocations, where a certificate, a key or config.yaml takes a few kilobytes.
const MaxMSPFileBytes = 16 << 20

// ReadMSPFile reads the file at path of an MSP folder: a regular file, or a link to one (a mounted secret's files
// are links, wherever they point), of at most MaxMSPFileBytes. Anything else is refused, naming the path: a FIFO
// would stop the reader (the gateway at its start or on SIGHUP) until something writes to it, a device such as
// /dev/zero never ends, and a huge file exhausts the memory.
func ReadMSPFile(path string) ([]byte, error) {
	// What is no regular file is refused by a look at the path, never opened: opening a device may act on it (a
	// terminal would become the controlling one of a gateway leading its session).
	looked, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := checkMSPFile(path, looked); err != nil {
		return nil, err
	}
	// The file opened is judged again, for it may not be the one looked at: a FIFO put in its place in between
	// would stop the reader. Opened without blocking, a FIFO with no writer opens at once and is refused before
	// anything is read from it; O_NONBLOCK changes nothing for a regular file.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	opened, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := checkMSPFile(path, opened); err != nil {
		return nil, err
	}
	if !os.SameFile(looked, opened) {
		return nil, fmt.Errorf("%s changed while it was read", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxMSPFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxMSPFileBytes {
		return nil, tooLarge(path)
	}
	return b, nil
}

// checkMSPFile refuses what info says of path unless it is a regular file of at most MaxMSPFileBytes.
func checkMSPFile(path string, info fs.FileInfo) error {
	switch {
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is %s, not a regular file: it is not read", path, fileKind(info.Mode()))
	case info.Size() > MaxMSPFileBytes:
		return tooLarge(path)
	}
	return nil
}

// tooLarge refuses the file at path for its size.
func tooLarge(path string) error {
	return fmt.Errorf("%s is larger than %d bytes (fabricca.MaxMSPFileBytes), more than a file of certificates, keys or CRLs holds: it is not read", path, MaxMSPFileBytes)
}

// fileKind names what a file of mode m is, for an error that refuses it.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a folder"
	}
	return fmt.Sprintf("a file of mode %s", m)
}

// MSPConfig is what an MSP folder's config.yaml says, as Fabric's tools read it (msp.Configuration of Fabric's
// msp/configbuilder.go) into the MSP's definition.
type MSPConfig struct {
	// OUs are the OUs of which a certificate must have one to be an identity of the MSP
	// (OrganizationalUnitIdentifiers); none when the file names none.
	OUs []*MSPOU
	// NodeOUs classify the MSP's identities by OU (client, peer, admin, orderer); nil unless the file enables them.
	NodeOUs *MSPNodeOUs
}

// MSPNodeOUs are the NodeOUs of an MSP folder's config.yaml, enabled. Each is nil when the file does not name it
// (or names no OU for it): an MSP whose NodeOUs name none classifies nothing.
type MSPNodeOUs struct {
	Client, Peer, Admin, Orderer *MSPOU
}

// MSPOU is an OU of config.yaml: its name and, when given, the CA certificate it is bound to.
type MSPOU struct {
	// Field names the OU in config.yaml (NodeOUs.ClientOUIdentifier, OrganizationalUnitIdentifiers[0]), for errors.
	Field string
	// OU is its OrganizationalUnitIdentifier.
	OU string
	// CertificateFile is its Certificate, relative to the MSP folder; "" for none.
	CertificateFile string
	// Certificate is that file's content as Fabric puts it in the MSP's definition; nil for none.
	Certificate []byte
}

// mspConfigYAML is config.yaml as Fabric's tools read it.
type mspConfigYAML struct {
	OrganizationalUnitIdentifiers []*mspOUYAML `yaml:"OrganizationalUnitIdentifiers"`
	NodeOUs                       *struct {
		Enable              bool       `yaml:"Enable"`
		ClientOUIdentifier  *mspOUYAML `yaml:"ClientOUIdentifier"`
		PeerOUIdentifier    *mspOUYAML `yaml:"PeerOUIdentifier"`
		AdminOUIdentifier   *mspOUYAML `yaml:"AdminOUIdentifier"`
		OrdererOUIdentifier *mspOUYAML `yaml:"OrdererOUIdentifier"`
	} `yaml:"NodeOUs"`
}

// mspOUYAML is an OU of config.yaml.
type mspOUYAML struct {
	Certificate                  string `yaml:"Certificate"`
	OrganizationalUnitIdentifier string `yaml:"OrganizationalUnitIdentifier"`
}

// ReadMSPConfig reads the config.yaml of the MSP folder dir (ReadMSPFile), nil when there is none. Fabric reads
// what it knows of the file and ignores the rest, leaves an OU whose certificate it cannot read unbound, and takes
// an OU of OrganizationalUnitIdentifiers without a certificate or a name; each of these is refused here, the error
// naming the file and the field, since a misspelt field (NodeOUs.Enabled) or a pin that is not read would classify
// identities by other rules than the author meant, more of them valid. A NodeOU without an OU name is not
// configured, as in Fabric.
func ReadMSPConfig(dir string) (*MSPConfig, error) {
	path := filepath.Join(dir, MSPConfigFile)
	raw, err := ReadMSPFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var y mspConfigYAML
	decoder := yaml.NewDecoder(bytes.NewReader(raw))
	decoder.KnownFields(true)
	if err := decoder.Decode(&y); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ou := func(field string, o *mspOUYAML) (*MSPOU, error) {
		out := &MSPOU{Field: field, OU: o.OrganizationalUnitIdentifier, CertificateFile: o.Certificate}
		if o.Certificate == "" {
			return out, nil
		}
		if out.Certificate, err = ReadMSPFile(filepath.Join(dir, o.Certificate)); err != nil {
			return nil, fmt.Errorf("%s: %s.Certificate: %w", path, field, err)
		}
		return out, nil
	}
	c := &MSPConfig{}
	for i, o := range y.OrganizationalUnitIdentifiers {
		field := fmt.Sprintf("OrganizationalUnitIdentifiers[%d]", i)
		switch {
		case o == nil || o.OrganizationalUnitIdentifier == "":
			return nil, fmt.Errorf("%s: %s.OrganizationalUnitIdentifier is required: it names the OU", path, field)
		case o.Certificate == "":
			return nil, fmt.Errorf("%s: %s.Certificate is required: it names the file of the CA certificate the OU is bound to", path, field)
		}
		read, err := ou(field, o)
		if err != nil {
			return nil, err
		}
		c.OUs = append(c.OUs, read)
	}
	if n := y.NodeOUs; n != nil && n.Enable {
		c.NodeOUs = &MSPNodeOUs{}
		for _, f := range []struct {
			name string
			y    *mspOUYAML
			to   **MSPOU
		}{{"ClientOUIdentifier", n.ClientOUIdentifier, &c.NodeOUs.Client}, {"PeerOUIdentifier", n.PeerOUIdentifier, &c.NodeOUs.Peer},
			{"AdminOUIdentifier", n.AdminOUIdentifier, &c.NodeOUs.Admin}, {"OrdererOUIdentifier", n.OrdererOUIdentifier, &c.NodeOUs.Orderer}} {
			if f.y == nil || f.y.OrganizationalUnitIdentifier == "" {
				continue
			}
			if f.to == &c.NodeOUs.Admin && f.y.OrganizationalUnitIdentifier != model.AdminOU {
				// The ledger (market.RequireAdmin) and the gateway take an org admin by the OU model.AdminOU alone: under
				// another admin OU, a client's certificate whose affiliation adds an OU "admin" is one NodeOU's, a
				// client's, to the MSP, and an admin to them.
				return nil, fmt.Errorf("%s: NodeOUs.AdminOUIdentifier.OrganizationalUnitIdentifier must be %q, got %q: the ledger and the gateway take an org admin by that OU",
					path, model.AdminOU, f.y.OrganizationalUnitIdentifier)
			}
			if *f.to, err = ou("NodeOUs."+f.name, f.y); err != nil {
				return nil, err
			}
		}
	}
	return c, nil
}
