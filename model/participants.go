package model

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"slices"
	"strings"
)

// Participant statuses. A SUSPENDED participant may be reinstated; a
// RELEASED one acted for an enterprise its org released to another region
// (ReleaseEnterprise) and never acts again.
const (
	ParticipantActive    = "ACTIVE"
	ParticipantSuspended = "SUSPENDED"
	ParticipantReleased  = "RELEASED"
)

// ParticipantStatuses lists every status of a participant.
var ParticipantStatuses = []string{ParticipantActive, ParticipantSuspended, ParticipantReleased}

// Participant is a member of an org with roles in the market.
type Participant struct {
	ID       string   `json:"id"`
	MSPID    string   `json:"mspId"`
	Identity string   `json:"identity"`
	Roles    []string `json:"roles"`
	USCC     string   `json:"uscc"`
	Name     string   `json:"name"`
	Region   string   `json:"region"`
	// Division is where the enterprise is: a city or county-level division
	// code of its region (see Division). Registration takes it from the
	// member's certificate (AttrDivision, certified at onboarding); else it
	// is empty until its org's admin sets it.
	Division     string `json:"division,omitempty" metadata:",optional"`
	Status       string `json:"status"`
	StatusReason string `json:"statusReason,omitempty" metadata:",optional"`
	// CertifiedRoles are the roles the member's certificate certifies (AttrRoles), which bound Roles; empty
	// for staff, whose certificates certify no enterprise and who hold StaffRoles only.
	CertifiedRoles []string `json:"certifiedRoles,omitempty" metadata:",optional"`
	RegisteredAt   string   `json:"registeredAt"`
	UpdatedAt      string   `json:"updatedAt"`
	// KeySHA256 binds the participant to the public key of its certificate (KeyDigest): it acts only with a
	// certificate of that key, so that a certificate issued by its org's CA with its subject and another key
	// does not act as it. Empty on a record registered before interface 8.0.0, which accepts any key of its
	// identity until its org's admin binds one (participants:RebindKey; participants:RotateKey binds no first key).
	KeySHA256 string `json:"keySha256,omitempty" metadata:",optional"`
	// KeyBoundAt is the transaction time of the binding.
	KeyBoundAt string `json:"keyBoundAt,omitempty" metadata:",optional"`
	// KeyRebindReason is why its org's admin last bound its key (participants:RebindKey). The member's own
	// rotation keeps it (a rotation signed with a key an admin bound proves nothing of who signed it), so the
	// member sees on its own record that an admin bound its key, and why, however it was rotated since.
	KeyRebindReason string `json:"keyRebindReason,omitempty" metadata:",optional"`
	// KeyWithdrawn is set when a member whose certificate certifies its enterprise (Certified) is suspended:
	// suspending it revokes its certificates at its org's CA (the gateway's revocation), and the peers accept a
	// revoked certificate until its org publishes the CRL in the channel, so the key bound then acts no more, once
	// the member is reinstated too. The member acts again with a new certificate whose key an admin of its org
	// binds (participants:RebindKey), which clears it.
	KeyWithdrawn bool `json:"keyWithdrawn,omitempty" metadata:",optional"`
}

// KeyDigest is the lowercase hex SHA-256 of the certificate's DER SubjectPublicKeyInfo: what a participant
// record binds (Participant.KeySHA256). Certificates of one key pair share it whatever else they say.
func KeyDigest(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// Certified reports whether the participant's enterprise is certified in its certificate: its USCC, legal name
// and CertifiedRoles come from Fabric CA attributes, not from its org's admin.
func (p *Participant) Certified() bool {
	return len(p.CertifiedRoles) > 0
}

// HasRole reports whether the participant holds role.
func (p *Participant) HasRole(role string) bool {
	return slices.Contains(p.Roles, role)
}

// ParticipantPage is one page of a participant list.
type ParticipantPage struct{ Page[*Participant] }

// Enterprise binds an enterprise (its USCC) to the one org whose members act
// for it: an enterprise is one identity on the whole ledger. The first
// registration of a member whose certificate certifies the USCC writes it
// (staff, whose USCC no certificate vouches for, bind nothing), one per
// org, which its org's peers alone may change; ReleaseEnterprise deletes
// it, so that another region may register the enterprise. A binding held
// by an org the market rules in force do not name, or release it from, is
// void: the enterprise registers anew where the rules name an org, so that
// no org a majority removed keeps an enterprise out of the market. Of
// several bindings held (an org named again), only the one bound last may
// be in force, by the order of registration, not by registeredAt: a
// binding another org's later one superseded stays out of force.
type Enterprise struct {
	USCC  string `json:"uscc"`
	MSPID string `json:"mspId"`
	// Region is the region the market rules in force give the org (Rules.OrgRegion), which a majority moving
	// the org changes, not the one it had when the binding was written.
	Region       string `json:"region"`
	RegisteredAt string `json:"registeredAt"`
	// Certified tells whether its members' certificates certify the USCC (AttrUSCC). It is false only in a
	// binding that staff wrote under older chaincode, which stays its org's until released.
	Certified bool `json:"certified"`
}

// Release is what ReleaseEnterprise did: the enterprise released by its org
// and the participants that acted for it there, now RELEASED.
type Release struct {
	USCC           string   `json:"uscc"`
	MSPID          string   `json:"mspId"`
	ParticipantIDs []string `json:"participantIds"`
	Reason         string   `json:"reason"`
	ReleasedAt     string   `json:"releasedAt"`
}

// ParticipantEvent is the payload of every registry event about one
// participant.
type ParticipantEvent struct {
	ParticipantID string `json:"participantId"`
	MSPID         string `json:"mspId"`
	// USCC is the enterprise the participant acts for, when its certificate certifies it (Participant.Certified;
	// absent for staff, who bind no enterprise). A registration may put its org's binding of the enterprise in force
	// and so take another org's out of force, whose members the event does not name: a client (the gateway's event
	// stream) reads again the standing of every member acting for the enterprise it names.
	USCC string `json:"uscc,omitempty" metadata:",optional"`
}

// ReleaseEvent is the payload of EnterpriseReleased.
type ReleaseEvent struct {
	USCC           string   `json:"uscc"`
	MSPID          string   `json:"mspId"`
	ParticipantIDs []string `json:"participantIds"`
}

// Events of the participants contract.
const (
	EventParticipantRegistered   = "ParticipantRegistered"
	EventParticipantRolesChanged = "ParticipantRolesChanged"
	EventParticipantSuspended    = "ParticipantSuspended"
	EventParticipantReinstated   = "ParticipantReinstated"
	EventEnterpriseReleased      = "EnterpriseReleased"
	EventParticipantDivisionSet  = "ParticipantDivisionSet"
	// EventParticipantKeyRotated: the participant bound the key of a new certificate (participants:RotateKey).
	EventParticipantKeyRotated = "ParticipantKeyRotated"
	// EventParticipantKeyRebound: its org's admin bound the key of a new certificate (participants:RebindKey).
	EventParticipantKeyRebound = "ParticipantKeyRebound"
)

var (
	participantID  = idField("id", "participant")
	enterpriseUSCC = usccField("uscc", "Unified Social Credit Code of the enterprise.")
)

// keyCertificateField is the certificate whose key participants:RotateKey and participants:RebindKey bind.
var keyCertificateField = Field{Name: "certificatePem", Type: TypeString, MaxLength: MaxCertificatePEMLength,
	Description: "A certificate (PEM) of the participant's identity (subject and issuer) and MSP, issued by a CA of its org as the market rules hold them, " +
		"in force now, not an admin's, and certifying the same enterprise, if its registration's did; its public key becomes the participant's."}

var rolesField = Field{Name: "roles", Type: TypeStringList, Enum: Roles,
	Description: "The participant's roles, at least one of " + strings.Join(Roles, ", ") + "."}

// ParticipantsContract is the registry of participants.
var ParticipantsContract = contract("participants", "DeltaLedger participants",
	"Members of the regional exchanges' orgs and their roles",
	Function{Name: "Register", Returns: Participant{}, Params: []Field{
		newIDField("id", "participant"),
		{Name: "certificatePem", Type: TypeString, MaxLength: MaxCertificatePEMLength,
			Description: "The member's X.509 certificate (PEM), which must chain to the org's CA as the market rules hold it. " +
				"The enterprise it certifies (Fabric CA attributes " + AttrUSCC + ", " + AttrRoles + ", " + AttrLegalName + ") binds uscc, roles and name; " +
				"the division it certifies (" + AttrDivision + "), which must be one of the region's, is the participant's."},
		rolesField.Describe("The participant's roles: a subset of those the certificate certifies; " + strings.Join(StaffRoles, " or ") + " only when it certifies no enterprise."),
		usccField("uscc", "Unified Social Credit Code of the enterprise the member acts for (18 characters, check character verified): the one the certificate certifies, if it certifies one; one registered in another org is a CONFLICT until that org releases it."),
		textField("name", MaxParticipantNameLength, "Display name: the legal name the certificate certifies, if it certifies one."),
		RegionField.Describe("The org's region, as the market rules in force bind it (market:GetRules)."),
	}}.endorsedBy(chaincodePolicyWith()),
	Function{Name: "SetRoles", Returns: Participant{}, Params: []Field{participantID,
		rolesField.Describe("The participant's roles: a subset of those its certificate certifies; " + strings.Join(StaffRoles, " or ") + " only when it certifies no enterprise.")}}.endorsedBy(chaincodePolicyWith(PartyCaller)),
	Function{Name: "SetDivision", Returns: Participant{}, Params: []Field{participantID, DivisionField}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "Suspend", Returns: Participant{}, Params: []Field{participantID,
		textField("reason", MaxSuspendReasonLength, "Why, recorded on the participant.")}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "Reinstate", Returns: Participant{}, Params: []Field{participantID}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "RotateKey", Returns: Participant{}, Params: []Field{
		keyCertificateField.Describe(keyCertificateField.Description + " The caller signs with its bound key; binding that same key again is a CONFLICT.")}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "RebindKey", Returns: Participant{}, Params: []Field{participantID,
		keyCertificateField.Describe(keyCertificateField.Description + " For a member that lost its key or was enrolled again; an admin of its org binds it."),
		textField("reason", MaxSuspendReasonLength, "Why, recorded on the participant (keyRebindReason).")}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "ReleaseEnterprise", Returns: Release{}, Params: []Field{enterpriseUSCC,
		textField("reason", MaxSuspendReasonLength, "Why, recorded on the released participants.")}}.endorsedBy(orgsOf(PartyCaller)),
	Function{Name: "GetEnterprise", Evaluate: true, Returns: Enterprise{}, Params: []Field{enterpriseUSCC}},
	Function{Name: "Get", Evaluate: true, Returns: Participant{}, Params: []Field{participantID}},
	Function{Name: "WhoAmI", Evaluate: true, Returns: Participant{}},
	Function{Name: "List", Evaluate: true, Returns: ParticipantPage{}, Params: list(
		Field{Name: "mspId", Type: TypeString, MaxLength: MaxMSPIDLength, Description: "The org's MSP ID, e.g. ShanghaiMSP."},
		RoleField.AsOptional().Describe("Only participants holding this role."),
	)},
)
