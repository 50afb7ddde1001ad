package main

import (
	"crypto/x509"
	"encoding/pem"
	"errors"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/client/pkcs11"
)

// signsItself reports whether the command line names the member's own key (--key or --pkcs11-lib): the member
// signs its transactions itself and the gateway holds no key of it.
func (a *app) signsItself() bool {
	return a.setting("key", a.signKey, "DELTALEDGER_KEY") != "" || a.setting("pkcs11-lib", a.pkcs11Lib, "DELTALEDGER_PKCS11_LIB") != ""
}

// memberSigner returns the member's own key for the certificate certPEM: a key file (--key) or the token's key of
// the certificate's public key (--pkcs11-lib, --pkcs11-label, --pkcs11-pin).
func (a *app) memberSigner(certPEM []byte) (client.Signer, error) {
	keyFile := a.setting("key", a.signKey, "DELTALEDGER_KEY")
	lib := a.setting("pkcs11-lib", a.pkcs11Lib, "DELTALEDGER_PKCS11_LIB")
	if keyFile != "" && lib != "" {
		return nil, usagef("give --key or --pkcs11-lib, not both")
	}
	if keyFile != "" {
		return client.LoadKeyFile(keyFile)
	}
	block, _ := pem.Decode(certPEM)
	if block == nil {
		return nil, usagef("--client-cert is not a PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, usageError{err}
	}
	token, err := a.openToken()
	if err != nil {
		return nil, err
	}
	return token.Key(cert.PublicKey)
}

// openToken logs in to the PKCS#11 token the command line names; it is closed when the command ends.
func (a *app) openToken() (*pkcs11.Token, error) {
	lib := a.setting("pkcs11-lib", a.pkcs11Lib, "DELTALEDGER_PKCS11_LIB")
	label := a.setting("pkcs11-label", a.pkcs11Label, "DELTALEDGER_PKCS11_LABEL")
	pin := a.setting("pkcs11-pin", a.pkcs11PIN, "DELTALEDGER_PKCS11_PIN")
	if lib == "" || label == "" || pin == "" {
		return nil, usageError{errors.New("a PKCS#11 token needs --pkcs11-lib, --pkcs11-label and --pkcs11-pin (or DELTALEDGER_PKCS11_PIN)")}
	}
	token, err := pkcs11.Open(lib, label, pin)
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, token.Close)
	return token, nil
}
