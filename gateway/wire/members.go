package wire

// MemberInvitationBody answers an onboarding: what the operator hands the new member.
type MemberInvitationBody struct {
	// EnrollmentID is the member's enrollment ID at the CA: its USCC.
	EnrollmentID string `json:"enrollmentId"`
	// Secret enrolls once (POST /v1/members/enroll or `deltaledger enroll`). The gateway keeps no copy.
	Secret string `json:"secret"`
	// MSPID is the member's org.
	MSPID string `json:"mspId"`
}

// MemberCertificateBody answers an enrollment.
type MemberCertificateBody struct {
	// Certificate is the member's enrollment certificate (PEM), with its USCC, roles and legal name certified.
	Certificate string `json:"certificate"`
	// CAChain is the issuing CA's certificate chain (PEM).
	CAChain string `json:"caChain"`
	// MSPID is the member's org.
	MSPID string `json:"mspId"`
}

// MemberRevocationBody answers a revocation: what the org's CA revoked.
type MemberRevocationBody struct {
	// ParticipantID is the suspended participant.
	ParticipantID string `json:"participantId"`
	// EnrollmentID is its enrollment ID at the CA (its USCC).
	EnrollmentID string `json:"enrollmentId"`
	// Revoked are the serial numbers (hexadecimal) of the certificates this call revoked; empty when an earlier
	// call revoked them all.
	Revoked []string `json:"revoked"`
	// MSPID is the member's org.
	MSPID string `json:"mspId"`
	// CRL is the org's CA's revocation list after this call (PEM): what the org's admin publishes in the channel's
	// MSP of the org so that the peers refuse the certificates too (package client/channelmsp;
	// `deltaledger members revoke --channel-admin`).
	CRL string `json:"crl"`
}
