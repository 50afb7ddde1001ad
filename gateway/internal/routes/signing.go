package routes

import (
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// Limits of the calls members sign themselves: how long a call waits for its next signature, and how many calls a
// member may have waiting.
const (
	SigningTTL          = 5 * time.Minute
	SigningMaxPerMember = 32
)

// SigningPath is where the member sends the signature of a call's step: SigningPath + "/{txid}/{step}".
const SigningPath = "/v1/signing"

// signatureField is the body of every signing step.
var signatureField = model.Field{Name: "signature", Type: model.TypeString, MaxLength: 200, Pattern: `^[A-Za-z0-9+/]+={0,2}$`,
	Description: "Base64 of the member's ASN.1 DER ECDSA signature (low S) of the step's digest, made with the key of the certificate the caller authenticates with."}

// signingDescription is what every chaincode operation does for a member whose key the gateway does not hold.
var signingDescription = "A member whose key the gateway does not hold (an onboarded enterprise authenticating with its enrolled certificate over mutual TLS) signs its calls itself: " +
	"every chaincode operation answers it 202 with a SigningStepBody (the proposal to sign) instead of running. " +
	"The member signs the digest with its own key (file, HSM or USB key) and POSTs the signature to sign_url: a read answers its result; " +
	"a transaction answers the endorsed transaction to sign (step transaction), then the commit-status request (step commit), whose signature answers the committed transaction as the operation itself would. " +
	"The chaincode sees the member as the submitter. A signature that does not verify with the key of the caller's certificate over the step's digest is a 400 naming why, and the call waits for a good one; " +
	fmt.Sprintf("a call belongs to the certificate that started it (any other caller gets 404), lives %s after its last step, and a member has at most %d waiting.", SigningTTL, SigningMaxPerMember)

func signingRoutes() []Route {
	step := func(id string, serve Serve, step, summary string) Route {
		return Answered(serve, GatewayRoute{
			Operation: Operation{ID: id, Method: "POST", Path: SigningPath + "/{txid}/" + step, Tag: "signing",
				Summary:     summary,
				Description: signingDescription,
			},
			ForSelfSigners: true,
			Params:         []Param{{Field: signatureField, In: InBody, Required: true}},
			Response:       wire.SigningStepBody{},
		})
	}
	return []Route{
		step("signProposal", Handlers.SignProposal, "proposal", "Sign the proposal of a call: a read answers its result, a transaction is endorsed and answers the transaction to sign."),
		step("signTransaction", Handlers.SignTransaction, "transaction", "Sign the endorsed transaction: it is sent for ordering and answers the commit-status request to sign."),
		step("signCommit", Handlers.SignCommit, "commit", "Sign the commit-status request: answers the committed transaction as the operation that started the call does."),
	}
}
