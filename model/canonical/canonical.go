// Package canonical is the one form in which the ledger hashes a JSON
// document that a client must be able to rebuild: the JSON Canonicalization
// Scheme of RFC 8785 (JCS). A JCS document has its object members sorted by
// their names' UTF-16 code units, no whitespace, strings escaped minimally
// and numbers written as ECMAScript writes them, so that any language with a
// JCS implementation (the npm packages canonicalize and json-canonicalize,
// Java's erdtman/java-json-canonicalization, Go's gowebpki/jcs, ...) turns
// the same document into the same bytes, whatever its encoder's field order
// or escaping. Go's encoding/json alone does not: it keeps declaration order
// and escapes <, > and & as \u003c, \u003e and \u0026.
//
// It is free of Fabric, so that clients verify hashes with the code the
// chaincode uses.
package canonical

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/gowebpki/jcs"
)

// JSON returns the RFC 8785 canonical form of v's JSON encoding.
func JSON(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("canonical: encoding %T: %w", v, err)
	}
	out, err := jcs.Transform(b)
	if err != nil {
		return nil, fmt.Errorf("canonical: canonicalising %T: %w", v, err)
	}
	return out, nil
}

// SHA256Hex returns the lowercase hex SHA-256 of b, the form of every hash
// on the ledger.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Hash returns the lowercase hex SHA-256 of v's canonical JSON: the hash a
// client computes over a record it rebuilt (an offer's private terms, a
// credit record's contents) to check it against the ledger.
func Hash(v any) (string, error) {
	b, err := JSON(v)
	if err != nil {
		return "", err
	}
	return SHA256Hex(b), nil
}
