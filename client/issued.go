package client

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"fmt"
	"strconv"

	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// enrollmentIDAttr is the attribute in which Fabric CA certifies the enrollment ID itself.
const enrollmentIDAttr = "hf.EnrollmentID"

// identityAttributes are the certified attributes that say who a member is: its enrollment ID, and the
// enterprise, roles, legal name and division its org's CA certified at onboarding, which the ledger reads.
var identityAttributes = []string{enrollmentIDAttr, model.AttrUSCC, model.AttrRoles, model.AttrLegalName, model.AttrDivision}

// issuedFor is what a certificate the CA answered an enrollment or a re-enrollment with must be: of the key made
// for it, and of the identity asked for. Whoever stands between the member and the CA (the gateway, or anyone
// answering in the CA's place) could otherwise answer a certificate of the member's key for another identity, and
// the member would sign as someone else without noticing.
type issuedFor struct {
	// key is the public key the request was signed with.
	key crypto.PublicKey
	// enrollmentID is the identity asked for: the certificate's CN, and its certified hf.EnrollmentID and
	// model.AttrUSCC when it certifies them (onboarding makes the USCC the enrollment ID).
	enrollmentID string
	// renewed is the certificate a re-enrollment renews (nil for a first enrollment): the new one keeps its
	// subject, its issuer and the identityAttributes it certifies, present or absent alike.
	renewed *x509.Certificate
}

// checkIssued parses certPEM and returns the certificate if it is what want asks for, else an error that names
// what differs.
func checkIssued(certPEM []byte, want issuedFor) (*x509.Certificate, error) {
	cert, err := fabricca.ParseCertificate(certPEM)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the certificate the CA issued: %w", err)
	}
	if pub, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || !pub.Equal(want.key) {
		return nil, failuref("the certificate the CA issued is not of the key generated here")
	}
	if cn := cert.Subject.CommonName; cn != want.enrollmentID {
		return nil, failuref("the certificate the CA issued is of %q, not of the enrollment ID %q", cn, want.enrollmentID)
	}
	attrs, err := fabricca.Attributes(cert)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the certificate the CA issued: %w", err)
	}
	if want.renewed == nil {
		for _, name := range []string{enrollmentIDAttr, model.AttrUSCC} {
			if v, ok := attrs[name]; ok && v != want.enrollmentID {
				return nil, failuref("the certificate the CA issued certifies %s %q, not the enrollment ID %q", name, v, want.enrollmentID)
			}
		}
		return cert, nil
	}
	if got, had := cert.Subject.String(), want.renewed.Subject.String(); got != had {
		return nil, failuref("the certificate the CA issued is of subject %q, where the certificate it renews is of %q", got, had)
	}
	if got, had := cert.Issuer.String(), want.renewed.Issuer.String(); got != had {
		return nil, failuref("the certificate the CA issued is issued by %q, where the certificate it renews is by %q", got, had)
	}
	old, err := fabricca.Attributes(want.renewed)
	if err != nil {
		return nil, fmt.Errorf("deltaledger: the certificate to renew: %w", err)
	}
	for _, name := range identityAttributes {
		got, has := attrs[name]
		had, hadIt := old[name]
		if got != had || has != hadIt {
			return nil, failuref("the certificate the CA issued certifies %s as %v, where the certificate it renews certifies %v",
				name, certifiedValue(got, has), certifiedValue(had, hadIt))
		}
	}
	return cert, nil
}

// certifiedValue is an attribute's value as an error shows it: quoted, or "nothing" when it is not certified.
func certifiedValue(v string, certified bool) any {
	if !certified {
		return ledgererr.Messagef("nothing")
	}
	return strconv.Quote(v)
}
