package participants

import (
	"crypto/x509"
	"encoding/pem"
	"slices"
	"strings"

	"github.com/hyperledger/fabric-chaincode-go/v2/pkg/attrmgr"

	"github.com/deltaledger/deltaledger/chaincode/internal/domain"
	"github.com/deltaledger/deltaledger/chaincode/internal/validate"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// certified is the enterprise a member's certificate certifies: the Fabric CA attributes its region's CA put in
// it when the region's gateway onboarded it (POST /v1/members). Only the CA's registrar sets them, so they are
// the enterprise's word as its region's exchange checked it, not its org admin's.
type certified struct {
	uscc  string
	name  string
	roles []string
	// division is where the enterprise is, if the operator who onboarded it said so (hasDivision,
	// model.AttrDivision); Register checks that it is one of the region's.
	division    string
	hasDivision bool
}

// certifiedOf reads the enterprise cert certifies; ok is false when it certifies none, as the certificates of
// the exchanges' and authorities' staff and of the network's own identities. field names the certificate in
// errors. A certificate whose attributes are malformed or certify roles or a name without a USCC is refused: the
// attributes are all or nothing. (Onboarding certifies model.EnterpriseRoles only; the org's CA itself may
// certify any roles.)
func certifiedOf(field string, cert *x509.Certificate) (c certified, ok bool, err error) {
	attrs, err := attrmgr.New().GetAttributesFromCert(cert)
	if err != nil {
		return c, false, ledgererr.Invalid(field, "carries malformed Fabric CA attributes: %v", err)
	}
	uscc, hasUSCC, _ := attrs.Value(model.AttrUSCC)
	roles, hasRoles, _ := attrs.Value(model.AttrRoles)
	name, _, _ := attrs.Value(model.AttrLegalName)
	division, hasDivision, _ := attrs.Value(model.AttrDivision)
	if !hasUSCC {
		if hasRoles || name != "" || hasDivision {
			return c, false, ledgererr.Invalid(field, "certifies %s, %s or %s without %s", model.AttrRoles, model.AttrLegalName, model.AttrDivision, model.AttrUSCC)
		}
		return c, false, nil
	}
	if err := validate.USCC(field, uscc); err != nil {
		return c, false, ledgererr.Invalid(field, "certifies %s %q, which is not a valid USCC", model.AttrUSCC, uscc)
	}
	roleSet, err := domain.ParseRoles(field, roles)
	if err != nil {
		return c, false, ledgererr.Invalid(field, "certifies %s %q: must be some of %s, comma-separated", model.AttrRoles, roles, strings.Join(model.Roles, ", "))
	}
	return certified{uscc: uscc, name: name, roles: roleSet, division: division, hasDivision: hasDivision}, true, nil
}

// parseMemberCertificate parses a member's certificate (PEM), field in errors, and refuses an admin's: an admin
// acts through market.RequireAdmin, which no registry entry restrains; as a participant too, it would keep its
// admin's powers while suspended and reinstate itself.
func parseMemberCertificate(field, certificatePem string) (*x509.Certificate, error) {
	block, _ := pem.Decode([]byte(certificatePem))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, ledgererr.Invalid(field, "must be a PEM-encoded X.509 CERTIFICATE block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, ledgererr.Invalid(field, "is not a valid X.509 certificate: %v", err)
	}
	if slices.Contains(cert.Subject.OrganizationalUnit, model.AdminOU) {
		return nil, ledgererr.Invalid(field, "is an admin's certificate (OU %s): an org admin is no participant, so that none keeps an admin's powers while suspended or reinstates itself", model.AdminOU)
	}
	return cert, nil
}

// certifiedRoles is what cert certifies of certified participant p's enterprise: the roles it certifies, and
// whether it certifies p's enterprise at all (ok false when it certifies none, or another, or is malformed).
func certifiedRoles(p *model.Participant, cert *x509.Certificate) (roles []string, ok bool) {
	c, ok, err := certifiedOf("certificate", cert)
	if err != nil || !ok || c.uscc != p.USCC {
		return nil, false
	}
	return c.roles, true
}

// certifiesAny reports whether cert certifies an enterprise, or says it does with malformed attributes.
func certifiesAny(cert *x509.Certificate) bool {
	_, ok, err := certifiedOf("certificate", cert)
	return ok || err != nil
}

// permitRoles checks that roles are ones the member may hold: those its certificate certifies (certifiedRoles),
// or, when it certifies no enterprise, the staff roles. field names roles in errors.
func permitRoles(field string, roles, certifiedRoles []string) error {
	for _, r := range roles {
		switch {
		case len(certifiedRoles) > 0 && !slices.Contains(certifiedRoles, r):
			return ledgererr.Invalid(field, "may hold only %s, the roles the member's certificate certifies (%s): %s is not among them",
				strings.Join(certifiedRoles, ", "), model.AttrRoles, r)
		case len(certifiedRoles) == 0 && !slices.Contains(model.StaffRoles, r):
			return ledgererr.Invalid(field, "%s is an enterprise role, given only to a member whose certificate certifies its enterprise and roles (%s, %s: onboarding through the region's gateway); this certificate certifies none, so it may hold %s only",
				r, model.AttrUSCC, model.AttrRoles, strings.Join(model.StaffRoles, ", "))
		}
	}
	return nil
}
