package wire

import (
	"encoding/json"
	"time"
)

// SigningStepBody answers (202) a step of a call that the member signs itself: what to sign next and where to send
// the signature.
type SigningStepBody struct {
	// TransactionID identifies the call and its transaction.
	TransactionID string `json:"transaction_id"`
	// Step is what is to be signed: proposal, transaction or commit (the commit-status request).
	Step string `json:"step"`
	// Bytes is the Fabric message to sign, base64: a gateway.ProposedTransaction, gateway.PreparedTransaction or
	// gateway.SignedCommitStatusRequest (fabric-protos), for the member to inspect before signing.
	Bytes string `json:"bytes"`
	// Digest is the SHA-256 to sign, base64: of the proposal's proposal_bytes, of the transaction envelope's
	// payload, or of the commit-status request.
	Digest string `json:"digest"`
	// SignURL is where the signature goes: POST {"signature": base64 ASN.1 DER ECDSA, low S}.
	SignURL string `json:"sign_url"`
	// ExpiresAt is when the call is forgotten unless this step is signed.
	ExpiresAt time.Time `json:"expires_at"`
	// Result is the chaincode's response as endorsed (step transaction and after).
	Result json.RawMessage `json:"result,omitempty" openapi:"any"`
}
