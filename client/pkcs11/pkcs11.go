// Package pkcs11 keeps a member's signing key in a PKCS#11 token (an HSM, a USB key, SoftHSM2): the key pair is
// generated inside the token, marked sensitive and not extractable, and every signature is made there. A Key is a
// client.Signer, so it signs transactions, the certificate request of an enrollment and the TLS handshake with the
// gateway.
//
// Keys are found the way Fabric's own PKCS#11 provider finds them: by CKA_ID, the SHA-256 of the public key's
// uncompressed point (its subject key identifier), so the certificate of a key names the key in the token. The
// package needs cgo (it loads the token's library with dlopen).
package pkcs11

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"sync"

	"github.com/miekg/pkcs11"
)

// oidP256 is the DER of the named curve P-256 (prime256v1), CKA_EC_PARAMS of the keys made here.
var oidP256 = []byte{0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07}

// Token is a logged-in session with one token of a PKCS#11 library. It is safe for concurrent use: calls into the
// session are serialised.
type Token struct {
	library string
	ctx     *pkcs11.Ctx
	session pkcs11.SessionHandle
	mu      sync.Mutex
}

// libraries counts the open Tokens of each library, which is initialised once per process and finalised when its
// last Token closes.
var libraries = struct {
	sync.Mutex
	open map[string]*library
}{open: map[string]*library{}}

type library struct {
	ctx   *pkcs11.Ctx
	users int
}

func load(path string) (*pkcs11.Ctx, error) {
	libraries.Lock()
	defer libraries.Unlock()
	if l := libraries.open[path]; l != nil {
		l.users++
		return l.ctx, nil
	}
	ctx := pkcs11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("pkcs11: cannot load the library %s", path)
	}
	if err := ctx.Initialize(); err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED)) {
		ctx.Destroy()
		return nil, fmt.Errorf("pkcs11: initialising %s: %w", path, err)
	}
	libraries.open[path] = &library{ctx: ctx, users: 1}
	return ctx, nil
}

func unload(path string) {
	libraries.Lock()
	defer libraries.Unlock()
	l := libraries.open[path]
	if l == nil {
		return
	}
	if l.users--; l.users == 0 {
		_ = l.ctx.Finalize()
		l.ctx.Destroy()
		delete(libraries.open, path)
	}
}

// Open loads the PKCS#11 library (for SoftHSM2 on Debian, /usr/lib/softhsm/libsofthsm2.so), finds the token whose
// label is label and logs in as its user with pin. Close the Token when done.
func Open(library, label, pin string) (*Token, error) {
	switch {
	case library == "":
		return nil, errors.New("pkcs11: the library is required")
	case label == "":
		return nil, errors.New("pkcs11: the token label is required")
	case pin == "":
		return nil, errors.New("pkcs11: the user PIN is required")
	}
	ctx, err := load(library)
	if err != nil {
		return nil, err
	}
	t := &Token{library: library, ctx: ctx}
	if err := t.login(label, pin); err != nil {
		unload(library)
		return nil, err
	}
	return t, nil
}

func (t *Token) login(label, pin string) error {
	slots, err := t.ctx.GetSlotList(true)
	if err != nil {
		return fmt.Errorf("pkcs11: listing the slots: %w", err)
	}
	for _, slot := range slots {
		info, err := t.ctx.GetTokenInfo(slot)
		if err != nil || info.Label != label {
			continue
		}
		if t.session, err = t.ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION|pkcs11.CKF_RW_SESSION); err != nil {
			return fmt.Errorf("pkcs11: opening a session with token %q: %w", label, err)
		}
		if err := t.ctx.Login(t.session, pkcs11.CKU_USER, pin); err != nil && !errors.Is(err, pkcs11.Error(pkcs11.CKR_USER_ALREADY_LOGGED_IN)) {
			_ = t.ctx.CloseSession(t.session)
			// The PIN itself is never part of an error.
			return fmt.Errorf("pkcs11: logging in to token %q: %w", label, err)
		}
		return nil
	}
	return fmt.Errorf("pkcs11: no token labelled %q in %s", label, t.library)
}

// Close logs out and closes the session.
func (t *Token) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	_ = t.ctx.Logout(t.session)
	err := t.ctx.CloseSession(t.session)
	unload(t.library)
	return err
}

// GenerateKey makes a P-256 key pair inside the token, stored on it, sensitive and not extractable, labelled
// label, with CKA_ID its subject key identifier.
func (t *Token) GenerateKey(label string) (*Key, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	public := keyTemplate(pkcs11.CKO_PUBLIC_KEY, label,
		pkcs11.NewAttribute(pkcs11.CKA_VERIFY, true),
		pkcs11.NewAttribute(pkcs11.CKA_EC_PARAMS, oidP256))
	private := keyTemplate(pkcs11.CKO_PRIVATE_KEY, label,
		pkcs11.NewAttribute(pkcs11.CKA_PRIVATE, true),
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, true),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, true),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, false))
	pubHandle, privHandle, err := t.ctx.GenerateKeyPair(t.session,
		[]*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_EC_KEY_PAIR_GEN, nil)}, public, private)
	if err != nil {
		return nil, fmt.Errorf("pkcs11: generating a P-256 key pair: %w", err)
	}
	pub, err := t.publicKey(pubHandle)
	if err != nil {
		return nil, err
	}
	id := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_ID, SKI(pub))}
	for _, h := range []pkcs11.ObjectHandle{pubHandle, privHandle} {
		if err := t.ctx.SetAttributeValue(t.session, h, id); err != nil {
			return nil, fmt.Errorf("pkcs11: naming the new key: %w", err)
		}
	}
	return &Key{token: t, handle: privHandle, public: pub}, nil
}

// keyTemplate is the template of one half (class) of a new key pair: an EC key stored on the token, labelled label,
// with the attributes of that half (what it may do, how it is kept) between.
func keyTemplate(class uint, label string, attrs ...*pkcs11.Attribute) []*pkcs11.Attribute {
	return slices.Concat([]*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, class),
		pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, pkcs11.CKK_EC),
		pkcs11.NewAttribute(pkcs11.CKA_TOKEN, true),
	}, attrs, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_LABEL, label)})
}

// Key returns the token's private key of the public key pub (from the member's certificate).
func (t *Token) Key(pub crypto.PublicKey) (*Key, error) {
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, fmt.Errorf("pkcs11: the public key is %T, not P-256 ECDSA", pub)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	template := []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_CLASS, pkcs11.CKO_PRIVATE_KEY),
		pkcs11.NewAttribute(pkcs11.CKA_ID, SKI(ec)),
	}
	if err := t.ctx.FindObjectsInit(t.session, template); err != nil {
		return nil, fmt.Errorf("pkcs11: looking for the key: %w", err)
	}
	handles, _, err := t.ctx.FindObjects(t.session, 1)
	_ = t.ctx.FindObjectsFinal(t.session)
	if err != nil {
		return nil, fmt.Errorf("pkcs11: looking for the key: %w", err)
	}
	if len(handles) == 0 {
		return nil, fmt.Errorf("pkcs11: the token holds no private key with CKA_ID %x (the certificate's public key)", SKI(ec))
	}
	return &Key{token: t, handle: handles[0], public: ec}, nil
}

// publicKey reads a public key object's point.
func (t *Token) publicKey(h pkcs11.ObjectHandle) (*ecdsa.PublicKey, error) {
	attrs, err := t.ctx.GetAttributeValue(t.session, h, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
	if err != nil || len(attrs) != 1 {
		return nil, fmt.Errorf("pkcs11: reading the public key: %v", err)
	}
	point := attrs[0].Value
	// CKA_EC_POINT is a DER OCTET STRING holding the uncompressed point; some tokens give the bare point.
	var inner []byte
	if rest, err := asn1.Unmarshal(point, &inner); err == nil && len(rest) == 0 {
		point = inner
	}
	x, y := elliptic.Unmarshal(elliptic.P256(), point) //nolint:staticcheck // the uncompressed point, as PKCS#11 gives it
	if x == nil {
		return nil, errors.New("pkcs11: the token's public key is not a P-256 point")
	}
	return &ecdsa.PublicKey{Curve: elliptic.P256(), X: x, Y: y}, nil
}

// SKI is the subject key identifier of a public key as Fabric computes it, the SHA-256 of its uncompressed point:
// the CKA_ID of its key pair in a token.
func SKI(pub *ecdsa.PublicKey) []byte {
	sum := sha256.Sum256(elliptic.Marshal(pub.Curve, pub.X, pub.Y)) //nolint:staticcheck // Fabric's SKI is of the uncompressed point
	return sum[:]
}

// Key is a private key in a token; it signs there. It implements crypto.Signer (so client.Signer).
type Key struct {
	token  *Token
	handle pkcs11.ObjectHandle
	public *ecdsa.PublicKey
}

// Public returns the key's public key.
func (k *Key) Public() crypto.PublicKey { return k.public }

// Sign signs a digest in the token (CKM_ECDSA) and returns the ASN.1 DER signature. The digest is hashed already,
// so opts is not used.
func (k *Key) Sign(_ io.Reader, digest []byte, _ crypto.SignerOpts) ([]byte, error) {
	t := k.token
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := t.ctx.SignInit(t.session, []*pkcs11.Mechanism{pkcs11.NewMechanism(pkcs11.CKM_ECDSA, nil)}, k.handle); err != nil {
		return nil, fmt.Errorf("pkcs11: starting to sign: %w", err)
	}
	raw, err := t.ctx.Sign(t.session, digest)
	if err != nil {
		return nil, fmt.Errorf("pkcs11: signing: %w", err)
	}
	if len(raw) == 0 || len(raw)%2 != 0 {
		return nil, fmt.Errorf("pkcs11: the token answered a %d-byte signature", len(raw))
	}
	half := len(raw) / 2
	return asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:half]), new(big.Int).SetBytes(raw[half:])})
}
