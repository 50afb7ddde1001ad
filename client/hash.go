package client

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// The ledger identifies data by its SHA-256 (lowercase hex): an asset's
// content, a listing's terms, a delivery, a credit record's evidence. The
// data itself never goes on the ledger nor to the gateway: hash it where it
// is.

// SHA256 returns the lowercase hex SHA-256 of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// SHA256Reader returns the lowercase hex SHA-256 of everything r holds.
func SHA256Reader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SHA256File returns the lowercase hex SHA-256 of a file's content, read
// locally.
func SHA256File(name string) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sum, err := SHA256Reader(f)
	if err != nil {
		return "", fmt.Errorf("hashing %s: %w", name, err)
	}
	return sum, nil
}

// NewSalt returns 32 lowercase hex characters of randomness, the salt that
// keeps an offer's private terms from being guessed from their public hash.
func NewSalt() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
