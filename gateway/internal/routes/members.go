package routes

import (
	"net/http"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// Fields of an enrollment request.
var (
	enrollmentIDField = model.Field{Name: "enrollmentId", Type: model.TypeString, Pattern: model.USCCPattern,
		Description: "The enrollment ID of the invitation (the enterprise's USCC)."}
	enrollmentSecretField = model.Field{Name: "secret", Type: model.TypeString, MaxLength: 256,
		Description: "The invitation's one-time secret."}
	participantIDField = model.Field{Name: "id", Type: model.TypeString, Pattern: model.IDPattern,
		Description: "ID of the participant."}
	csrField = model.Field{Name: "csr", Type: model.TypeString, MaxLength: model.MaxCertificatePEMLength,
		Description: "PEM certificate signing request (CERTIFICATE REQUEST) of the key pair the member generated, CN the enrollment ID."}
)

func memberRoutes() []Route {
	var onboarding []Param
	for _, f := range model.OnboardingFields {
		onboarding = append(onboarding, Param{Field: f, In: InBody, Required: !f.Optional})
	}
	return []Route{
		Answered(Handlers.RegisterMember, GatewayRoute{
			Operation: Operation{ID: "registerMember", Method: "POST", Path: "/v1/members", Tag: "members", Created: true,
				Summary: "Onboard an enterprise: register its identity with the org's Fabric CA and get a one-time enrollment secret.",
				Description: "An operator of the gateway's org (an ACTIVE participant holding the operator role, read from the ledger as the caller) registers the enterprise with the org's CA, " +
					"which certifies its USCC, roles and legal name, and the division when given, in its enrollment certificate (attributes " + model.AttrUSCC + ", " + model.AttrRoles + ", " + model.AttrLegalName + ", " + model.AttrDivision + "). " +
					"A division must be one of the operator's region (400 naming division otherwise); the ledger checks it again when the member is registered (participants:Register). " +
					"The gateway acts at the CA as its own registrar; the caller never sees those credentials. The answer's secret enrolls once and is kept nowhere: " +
					"hand it to the enterprise, which enrolls with POST /v1/members/enroll (`deltaledger enroll`). An enterprise has one identity per CA: registering its USCC again is a CONFLICT.",
			},
			Uses: []string{"participants:WhoAmI"}, Params: onboarding, Response: wire.MemberInvitationBody{},
		}),
		Answered(Handlers.EnrollMember, GatewayRoute{
			Operation: Operation{ID: "enrollMember", Method: "POST", Path: "/v1/members/enroll", Tag: "members",
				Summary: "Enroll with an invitation: exchange its one-time secret for a certificate of a key pair made by the member.",
				Description: "The member generates its key pair on its own machine and sends only a certificate signing request; the gateway passes it to the org's CA, which issues the certificate once per secret. " +
					"Unknown IDs, wrong or used secrets all answer 401 alike, and no sooner than one second after the request, so that its time does not tell which enterprises the CA knows. Secrets are 144 random bits; wrong ones lock nothing (the enrollment ID, a USCC, is public).",
			},
			Public: true,
			Params: []Param{
				{Field: enrollmentIDField, In: InBody, Required: true},
				{Field: enrollmentSecretField, In: InBody, Required: true},
				{Field: csrField, In: InBody, Required: true},
			},
			Response: wire.MemberCertificateBody{},
			Errors: map[int]string{
				http.StatusUnauthorized: "The enrollment ID and secret do not enroll: an unknown ID, a wrong or an already used secret, alike.",
				http.StatusNotFound:     "This gateway onboards no members (no CA is configured).",
				http.StatusBadGateway:   "The org's CA did not enroll the member for another reason (its answer is in the gateway's log).",
			},
		}),
		Answered(Handlers.RevokeMember, GatewayRoute{
			Operation: Operation{ID: "revokeMember", Method: "POST", Path: "/v1/participants/{id}/revocation", Tag: "members", Roles: []string{RoleOrgAdmin},
				Summary: "Cut a suspended member off: revoke its certificates at the org's Fabric CA.",
				Description: "The second half of suspending a member the gateway onboarded (`deltaledger participants suspend` does both): once the ledger records the participant SUSPENDED or RELEASED " +
					"(participants:Suspend, by the org's admin, with a reason), the org's admin has the gateway revoke at the org's CA every certificate of the participant's enrollment ID (its USCC), whatever subject the member re-enrolled it under. " +
					"The gateway then refuses those certificates before anything else (401 naming the serial), including every step of a call the member signs itself, and re-reads the CA's CRL on a timer; " +
					"the CA refuses their re-enrollment. A revoked certificate never comes back: a reinstated member acts again with a new certificate. " +
					"An ACTIVE participant is a CONFLICT (the ledger decides first); a participant of another org is NOT_FOUND; one whose certificate the gateway's registrar did not issue " +
					"(the network's own identities, of the CA's root affiliation) is a CONFLICT: the gateway can revoke members of the affiliation " + model.MembersAffiliation + " only. Calling again revokes what is left.",
			},
			Uses:     []string{"participants:Get"},
			Params:   []Param{{Field: participantIDField, In: InPath, Required: true}},
			Response: wire.MemberRevocationBody{},
		}),
		Answered(Handlers.ReinviteMember, GatewayRoute{
			Operation: Operation{ID: "reinviteMember", Method: "POST", Path: "/v1/participants/{id}/enrollment", Tag: "members", Roles: []string{model.RoleOperator}, Created: true,
				Summary: "Let a reinstated member enroll again: a new one-time enrollment secret for its identity at the org's Fabric CA.",
				Description: "A revoked certificate never comes back, and the CA refuses to re-enroll it; a member whose certificates were all revoked (POST /v1/participants/{id}/revocation) and whom the org's admin reinstated " +
					"(participants:Reinstate) acts again with a new certificate of its identity. An operator of the gateway's org (ACTIVE, holding the operator role, read from the ledger as the caller) asks the gateway for it: " +
					"the participant must be of the gateway's org (else NOT_FOUND), certified, ACTIVE on the ledger and hold no certificate the CA has not revoked (else CONFLICT: a member with a valid certificate rotates its key with `deltaledger reenroll`). " +
					"The gateway gives the participant's enrollment ID (its USCC, from the ledger, never from the request) a new secret that enrolls once more; its certified attributes stay as registered, " +
					"so the member enrolls (POST /v1/members/enroll, `deltaledger enroll`) a certificate of the same subject and issuer, which the ledger takes as the same participant, and of the same enterprise. " +
					"The answer's secret is kept nowhere: hand it to the enterprise.",
			},
			Uses:     []string{"participants:WhoAmI", "participants:Get"},
			Params:   []Param{{Field: participantIDField, In: InPath, Required: true}},
			Response: wire.MemberInvitationBody{},
		}),
	}
}
