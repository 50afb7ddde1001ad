package model

import (
	"slices"
	"strings"
)

// Participant statuses.
const (
	ParticipantActive    = "ACTIVE"
	ParticipantSuspended = "SUSPENDED"
)

// Participant is a member of an org with roles in the market.
type Participant struct {
	ID           string   `json:"id"`
	MSPID        string   `json:"mspId"`
	Identity     string   `json:"identity"`
	Roles        []string `json:"roles"`
	USCC         string   `json:"uscc"`
	Name         string   `json:"name"`
	Region       string   `json:"region"`
	Status       string   `json:"status"`
	StatusReason string   `json:"statusReason,omitempty" metadata:",optional"`
	RegisteredAt string   `json:"registeredAt"`
	UpdatedAt    string   `json:"updatedAt"`
}

// HasRole reports whether the participant holds role.
func (p *Participant) HasRole(role string) bool {
	return slices.Contains(p.Roles, role)
}

// ParticipantPage is one page of a participant list.
type ParticipantPage struct {
	Items    []*Participant `json:"items"`
	Bookmark string         `json:"bookmark"`
}

// ParticipantEvent is the payload of every registry event.
type ParticipantEvent struct {
	ParticipantID string `json:"participantId"`
	MSPID         string `json:"mspId"`
}

// Events of the participants contract.
const (
	EventParticipantRegistered   = "ParticipantRegistered"
	EventParticipantRolesChanged = "ParticipantRolesChanged"
	EventParticipantSuspended    = "ParticipantSuspended"
	EventParticipantReinstated   = "ParticipantReinstated"
)

var participantID = idField("id", "participant")

var rolesField = Field{Name: "roles", Type: TypeStringList, Enum: Roles,
	Description: "The participant's roles, at least one of " + strings.Join(Roles, ", ") + "."}

// ParticipantsContract is the registry of participants.
var ParticipantsContract = contract("participants", "DeltaLedger participants",
	"Members of the regional exchanges' orgs and their roles",
	Function{Name: "Register", Returns: Participant{}, Params: []Field{
		newIDField("id", "participant"),
		{Name: "certificatePem", Type: TypeString, MaxLength: MaxCertificatePEMLength,
			Description: "The member's X.509 certificate (PEM), issued by the org's CA."},
		rolesField,
		usccField("uscc", "Unified Social Credit Code of the enterprise the member acts for (18 characters, check character verified)."),
		textField("name", MaxParticipantNameLength, "Display name."),
		RegionField.Describe("The org's region: " + strings.Join(Regions, ", ") + "."),
	}},
	Function{Name: "SetRoles", Returns: Participant{}, Params: []Field{participantID, rolesField}},
	Function{Name: "Suspend", Returns: Participant{}, Params: []Field{participantID,
		textField("reason", MaxSuspendReasonLength, "Why, recorded on the participant.")}},
	Function{Name: "Reinstate", Returns: Participant{}, Params: []Field{participantID}},
	Function{Name: "Get", Evaluate: true, Returns: Participant{}, Params: []Field{participantID}},
	Function{Name: "WhoAmI", Evaluate: true, Returns: Participant{}},
	Function{Name: "List", Evaluate: true, Returns: ParticipantPage{}, Params: list(
		Field{Name: "mspId", Type: TypeString, MaxLength: MaxMSPIDLength, Description: "The org's MSP ID, e.g. ShanghaiMSP."},
		RoleField.AsOptional().Describe("Only participants holding this role."),
	)},
)
