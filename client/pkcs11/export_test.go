package pkcs11

import "github.com/miekg/pkcs11"

// Extractable reports whether the private key's value can be read out of the token.
func Extractable(t *Token, k *Key) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	attrs, err := t.ctx.GetAttributeValue(t.session, k.handle, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_VALUE, nil)})
	return err == nil && len(attrs) == 1 && len(attrs[0].Value) > 0
}
