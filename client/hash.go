package client

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"

	"github.com/deltaledger/deltaledger/model/canonical"
)

// The ledger identifies data by its SHA-256 (lowercase hex): an asset's
// content, a listing's terms, a delivery, a credit record's evidence. The
// data itself never goes on the ledger nor to the gateway: hash it where it
// is.

// SHA256 returns the lowercase hex SHA-256 of b.
func SHA256(b []byte) string {
	return canonical.SHA256Hex(b)
}

// SHA256Reader returns the lowercase hex SHA-256 of everything r holds.
func SHA256Reader(r io.Reader, opts ...HashOption) (string, error) {
	var s hashSettings
	for _, o := range opts {
		o(&s)
	}
	h := sha256.New()
	var w io.Writer = h
	if s.progress != nil {
		w = &progressWriter{w: h, report: s.progress, p: HashProgress{Total: s.total}}
	}
	// Hidden behind a plain Reader, a file cannot choose its own (32 KiB)
	// chunks with WriteTo: the buffer sets how often progress is reported.
	if _, err := io.CopyBuffer(w, struct{ io.Reader }{r}, make([]byte, hashChunk)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SHA256File returns the lowercase hex SHA-256 of a file's content, read
// locally.
func SHA256File(name string, opts ...HashOption) (string, error) {
	f, err := os.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		opts = append([]HashOption{WithHashTotal(info.Size())}, opts...)
	}
	sum, err := SHA256Reader(f, opts...)
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
