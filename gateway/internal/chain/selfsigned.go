package chain

import "context"

// SelfSigning is implemented by a Ledger that runs calls for members whose keys it does not hold: Fabric's offline
// signing, in which the member signs each step's digest itself (non-custodial members). Nothing is signed by the
// gateway: the proposal, the transaction and the commit-status request each carry the member's own signature, and
// the chaincode sees the member as the submitter.
type SelfSigning interface {
	// Propose builds the unsigned proposal of a call as the member of identity.
	Propose(identity Identity, function string, args []string, options ...CallOption) (Proposal, error)
}

// Identity is a member's certified identity, whose key the gateway does not hold.
type Identity struct {
	// MSPID is the member's org.
	MSPID string
	// CertificatePEM is the member's enrollment certificate.
	CertificatePEM []byte
}

// Signable is what the member signs at a step: the bytes of the step's Fabric message and their SHA-256 digest.
type Signable struct {
	// Bytes is the serialised message the member may inspect before signing.
	Bytes []byte
	// Digest is the SHA-256 of Bytes: what the member signs.
	Digest []byte
}

// Proposal is a proposal waiting for the member's signature.
type Proposal interface {
	// TransactionID is the ID of the transaction the proposal starts.
	TransactionID() string
	// Signable is the proposal to sign.
	Signable() Signable
	// Evaluate runs the signed proposal as a read-only call.
	Evaluate(ctx context.Context, signature []byte) ([]byte, error)
	// Endorse has the signed proposal endorsed and returns the transaction to sign.
	Endorse(ctx context.Context, signature []byte) (EndorsedTransaction, error)
}

// EndorsedTransaction is an endorsed transaction waiting for the member's signature.
type EndorsedTransaction interface {
	// Signable is the transaction to sign.
	Signable() Signable
	// Result is the chaincode's response, as endorsed.
	Result() []byte
	// Submit sends the signed transaction for ordering and returns the commit-status request to sign.
	Submit(ctx context.Context, signature []byte) (Commit, error)
}

// Commit is a commit-status request waiting for the member's signature.
type Commit interface {
	// Signable is the request to sign.
	Signable() Signable
	// Status waits for the transaction's commit with the signed request.
	Status(ctx context.Context, signature []byte) (*Status, error)
}
