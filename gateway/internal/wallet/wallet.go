// Package wallet loads the member identities a gateway signs for: one
// X.509 certificate and private key per member of the gateway's org, kept in
// a directory the gateway alone may read.
//
// A wallet is a directory with one subdirectory per member, named after the
// member. Each holds either
//
//	cert.pem  key.pem  [tls-client.pem]
//
// or the MSP layout fabric-ca-client (and the local network's enrollment) write:
//
//	msp/signcerts/<one cert>.pem  msp/keystore/<one key>  [tls/client.crt]
//
// The optional TLS client certificate is one more certificate the member may
// present to authenticate to the gateway (see package auth). Loading refuses
// a key file that its group or other users may read.
package wallet

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/internal/private"
)

// Member is one identity of the wallet.
type Member struct {
	// Name identifies the member in the gateway (the directory's name).
	Name string
	// MSPID is the member's org.
	MSPID string
	// Certificate is the member's signing (enrolment) certificate.
	Certificate *x509.Certificate
	// PrivateKey signs the member's transactions.
	PrivateKey crypto.PrivateKey
	// ClientCertificates are further certificates (TLS client
	// certificates) that authenticate a caller as this member.
	ClientCertificates []*x509.Certificate
}

// Identity names the member's signing identity as the chaincode does:
// "x509::<subject>::<issuer>".
func (m *Member) Identity() string { return IdentityOf(m.Certificate) }

// IdentityOf names a certificate's identity by subject and issuer, the way
// Fabric's client identity library (and the participants registry) does.
func IdentityOf(cert *x509.Certificate) string {
	return "x509::" + cert.Subject.String() + "::" + cert.Issuer.String()
}

// Wallet is the set of members the gateway signs for.
type Wallet struct {
	members map[string]*Member
}

// Member returns a member by name.
func (w *Wallet) Member(name string) (*Member, bool) {
	m, ok := w.members[name]
	return m, ok
}

// Members returns every member, sorted by name.
func (w *Wallet) Members() []*Member {
	out := make([]*Member, 0, len(w.members))
	for _, m := range w.members {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// New returns a wallet of the given members, for tests and embedding.
func New(members ...*Member) *Wallet {
	w := &Wallet{members: map[string]*Member{}}
	for _, m := range members {
		w.members[m.Name] = m
	}
	return w
}

// Load reads every member of the wallet directory dir. All members belong
// to mspID.
func Load(dir, mspID string) (*Wallet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading wallet: %w", err)
	}
	w := New()
	for _, e := range entries {
		if !e.IsDir() && e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		m, err := loadMember(filepath.Join(dir, e.Name()), e.Name(), mspID)
		if err != nil {
			return nil, fmt.Errorf("wallet member %q: %w", e.Name(), err)
		}
		w.members[m.Name] = m
	}
	if len(w.members) == 0 {
		return nil, fmt.Errorf("wallet %s holds no member", dir)
	}
	return w, nil
}

func loadMember(dir, name, mspID string) (*Member, error) {
	certFile, keyFile, clientFile, err := memberFiles(dir)
	if err != nil {
		return nil, err
	}
	cert, err := fabricca.ReadCertificate(certFile)
	if err != nil {
		return nil, err
	}
	key, err := readPrivateKey(keyFile)
	if err != nil {
		return nil, err
	}
	m := &Member{Name: name, MSPID: mspID, Certificate: cert, PrivateKey: key}
	if clientFile != "" {
		c, err := fabricca.ReadCertificate(clientFile)
		if err != nil {
			return nil, err
		}
		m.ClientCertificates = append(m.ClientCertificates, c)
	}
	return m, nil
}

// memberFiles finds a member's certificate, key and optional TLS client
// certificate in either layout.
func memberFiles(dir string) (cert, key, client string, err error) {
	if exists(filepath.Join(dir, "cert.pem")) {
		cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		if exists(filepath.Join(dir, "tls-client.pem")) {
			client = filepath.Join(dir, "tls-client.pem")
		}
		return cert, key, client, nil
	}
	cert, key, err = fabricca.MSPFiles(filepath.Join(dir, "msp"))
	if err != nil {
		return "", "", "", fmt.Errorf("no cert.pem, and %w", err)
	}
	if exists(filepath.Join(dir, "tls", "client.crt")) {
		client = filepath.Join(dir, "tls", "client.crt")
	}
	return cert, key, client, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ErrKeyExposed is returned for a private key file others may read.
var ErrKeyExposed = errors.New("private key file is readable by group or others (chmod 600 it)")

func readPrivateKey(path string) (crypto.PrivateKey, error) {
	if err := CheckPrivate(path); err != nil {
		return nil, err
	}
	// As every file of an MSP folder: a named pipe would stop the gateway's start until something wrote to it.
	b, err := fabricca.ReadMSPFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("%s: not PEM", path)
	}
	if k, err := x509.ParsePKCS8PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	return nil, fmt.Errorf("%s: not a PKCS#8 or EC private key", path)
}

// CheckPrivate refuses a file (following symlinks) whose permissions let
// its group or other users read or write it.
func CheckPrivate(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if private.OthersMayRead(info) {
		return fmt.Errorf("%s (mode %04o): %w", path, info.Mode().Perm(), ErrKeyExposed)
	}
	return nil
}

// Names returns the members' names, sorted.
func (w *Wallet) Names() []string {
	var out []string
	for n := range w.members {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
