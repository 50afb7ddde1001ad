package model

import "strings"

// Attributes that a region's Fabric CA certifies in the enrollment certificate of a member its gateway onboarded
// (POST /v1/members): who the member acts for and in which roles. The chaincode reads them from the caller's
// certificate (cid.GetAttributeValue), never from arguments; only the CA's registrar can set them.
const (
	// AttrUSCC is the Unified Social Credit Code of the enterprise the member is.
	AttrUSCC = "deltaledger.uscc"
	// AttrRoles are the member's participant roles, comma-separated.
	AttrRoles = "deltaledger.roles"
	// AttrLegalName is the enterprise's registered legal name.
	AttrLegalName = "deltaledger.name"
	// AttrDivision is where the enterprise is, when the operator who onboarded it said so: a city or
	// county-level division of its region (CheckDivision). participants:Register places the participant there.
	AttrDivision = "deltaledger.division"
)

// AdminOU is the organizational unit of an org admin's certificate: the NodeOU the MSPs classify as admin
// (network/config/msp-config.yaml), which the chaincode (market.RequireAdmin) and the gateway read as "the org's
// admin".
const AdminOU = "admin"

// MembersAffiliation is the Fabric CA affiliation of the members a region's gateway onboards, and of the gateway's
// registrar: Fabric CA lets a registrar revoke identities of its own affiliation and below only, so the gateway
// can cut off the members it onboarded (POST /v1/participants/{id}/revocation) and nobody else (the network's
// peers, orderers, admins and staff are of the root affiliation).
const MembersAffiliation = "members"

// EnterpriseRoles are the roles an operator may give a member it onboards. Operators and regulators are the
// exchanges' and the authorities' own staff: nobody becomes one by onboarding.
var EnterpriseRoles = []string{RoleHolder, RoleBuyer, RoleAgency}

// StaffRoles are the roles of the exchanges' and the authorities' own staff: the only roles a member whose
// certificate certifies no enterprise (no AttrUSCC) may hold. Every other role needs the enterprise, and the
// role, certified in the member's certificate.
var StaffRoles = []string{RoleOperator, RoleRegulator}

// OnboardingFields are the fields of an onboarding request, in order: the enterprise's legal name, its USCC, its
// roles and, optionally, its division.
var OnboardingFields = []Field{
	textField("legalName", MaxParticipantNameLength, "The enterprise's registered legal name, certified in its certificate."),
	usccField("uscc", "Unified Social Credit Code of the enterprise (18 characters): its enrollment ID at the region's CA, certified in its certificate."),
	{Name: "roles", Type: TypeStringList, Enum: EnterpriseRoles,
		Description: "The member's roles, certified in its certificate: at least one of " + strings.Join(EnterpriseRoles, ", ") + "."},
	DivisionField.AsOptional().Describe("Where the enterprise is, certified in its certificate (" + AttrDivision + "): " + DivisionRule +
		" (the org's). The ledger places the participant there from its registration on. Without it, the org's admin places it later (participants:SetDivision)."),
}
