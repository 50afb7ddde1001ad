package fabricca

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"fmt"
)

// AttributesOID is the X.509 extension in which Fabric CA certifies an identity's attributes, read on chain by
// the chaincode's client identity library (cid.GetAttributeValue).
var AttributesOID = asn1.ObjectIdentifier{1, 2, 3, 4, 5, 6, 7, 8, 1}

// Attributes returns the attributes certified in cert (none when it has no attribute extension). Fabric CA
// itself certifies hf.EnrollmentID, hf.Type and hf.Affiliation besides the registered ones.
func Attributes(cert *x509.Certificate) (map[string]string, error) {
	for _, ext := range cert.Extensions {
		if !ext.Id.Equal(AttributesOID) {
			continue
		}
		var v struct {
			Attrs map[string]string `json:"attrs"`
		}
		if err := json.Unmarshal(ext.Value, &v); err != nil {
			return nil, fmt.Errorf("the certificate's attribute extension is not Fabric CA's JSON: %w", err)
		}
		return v.Attrs, nil
	}
	return map[string]string{}, nil
}
