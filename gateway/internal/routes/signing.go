package routes

import (
	"fmt"
	"time"

	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/model"
)

// Limits of the calls members sign themselves: how long a call waits for its next signature (and the outcome of a
// finished one is kept for a retry with its Idempotency-Key), and how many calls a member may have waiting.
const (
	SigningTTL          = 5 * time.Minute
	SigningMaxPerMember = 32
)

// SigningMaxBytes bounds what the gateway keeps of those calls overall: the waiting calls' Fabric messages and the
// finished calls' answers (their bodies), each plus a fixed overhead counted by the store (512 bytes). When it is
// reached a NEW call is refused (429, Retry-After: SigningTTL, by when everything kept then has expired but the calls
// whose step runs; the same for every caller, so that it tells nobody when other members started or finished calls)
// before anything is sent; a call already started always keeps its steps and its answer, and no answer is forgotten
// before SigningTTL, or a retry would submit its transaction twice.
//
// It must never refuse honest calls below what the network commits. The network's measured limit (README,
// "Performance": `limit`, 146.7 transactions/s in its best round) for SigningTTL (300 s) is 44,010 answers kept at
// once, if every transaction of the network were self-signed through this one gateway. A registration's answer (the
// asset record and its transaction ID) is about 1 KiB, so with the overhead, the key and the fingerprint about
// 1.6 KiB an answer: 70 MB. 256 MiB is more than three times that: the whole network's throughput, through one
// gateway, with answers three times the typical size, or three times the throughput.
const SigningMaxBytes = 256 << 20

// SigningAnswersMaxPerMember bounds the answers kept of one member's finished calls with an Idempotency-Key, counted
// by its identity whichever certificates made them, as idempotency.maxPerMember bounds those of the calls the
// gateway signs: past it a NEW call with a key is 429 with Retry-After (when the member's own first answer
// expires), while every answer kept is still answered to its retries and a call without a key still runs. Without
// it one member's keyed calls could fill SigningMaxBytes alone and refuse every member's new calls for SigningTTL.
// 10,000 answers in SigningTTL are 33 keyed calls a second for 5 minutes, a quarter of everything the network
// commits (44,010 answers at its measured limit, above): about 16 MB at 1.6 KiB an answer, a sixteenth of
// SigningMaxBytes.
const SigningAnswersMaxPerMember = 10_000

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
	fmt.Sprintf("a call belongs to the certificate that started it (any other caller gets 404), lives %s after its last step (a call whose step runs does not expire), and a member has at most %d, waiting or running a step (a new call beyond them is 429 with Retry-After: the seconds until the first of the member's own waiting calls expires, from its own calls alone; a call at its next step never is); "+
		"a member whose finished calls with an Idempotency-Key have %d answers kept is refused a new call with a key (429 with Retry-After: the seconds until its own first answer expires) while those answers are still answered to their retries; "+
		"when the gateway holds %d MiB of such calls and answers, a new call is 429 with Retry-After: %d (the seconds of that lifetime, whatever other members do). A step that fails inside the gateway (500) waits again for its signature.",
		SigningTTL, SigningMaxPerMember, SigningAnswersMaxPerMember, SigningMaxBytes>>20, int(SigningTTL.Seconds()))

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
