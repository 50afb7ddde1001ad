package client

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/gateway/calls"
	"github.com/deltaledger/deltaledger/gateway/wire"
	"github.com/deltaledger/deltaledger/internal/fabricca"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// WithSigner makes the client a member who signs its own calls (non-custodial): it authenticates to the gateway
// with its enrolled certificate (PEM) over mutual TLS, the TLS handshake signed by s, and signs every step of every
// call itself (Fabric's offline signing): the proposal, the endorsed transaction and the commit-status request. The
// gateway holds no key of the member; the chaincode sees the member as the submitter. Before signing a step the
// client checks that the digest is the SHA-256 of the message the gateway shows, that the message is of this
// member's identity and of the call's transaction, that it is a transaction of the chaincode (never a channel
// configuration), that a proposal calls the function with the arguments and transient data that the request runs
// (package calls binds the request as the gateway does), that a read (a GET, or any call of a function the
// gateway evaluates) signs its proposal only, and that a transaction is the endorsement of the proposal the call
// signed (of a call resumed at its transaction step, an endorsed transaction of the request's function and
// arguments), and that every step is of the market's channel and chaincode (model.DefaultChannel and model.DefaultChaincode, or those that WithChaincode names): a gateway cannot
// make the member sign another call, nor the same call on another channel or of another chaincode. s must be the
// key of the certificate.
func WithSigner(certificatePEM []byte, s Signer) Option {
	return func(st *settings) error {
		cert, err := fabricca.ParseCertificate(certificatePEM)
		if err != nil {
			return fmt.Errorf("WithSigner: %w", err)
		}
		if s == nil {
			return errors.New("WithSigner: nil signer")
		}
		if pub, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(s.Public()) {
			return errors.New("WithSigner: the signer's key is not the certificate's")
		}
		st.cert = &tls.Certificate{Certificate: [][]byte{cert.Raw}, PrivateKey: s, Leaf: cert}
		st.signer = &memberSigner{signer: s, cert: cert}
		return nil
	}
}

// memberSigner signs the steps of the client's calls.
type memberSigner struct {
	signer     Signer
	cert       *x509.Certificate
	deployment deployment // the only channel and chaincode it signs for
}

// asSigningStep reads a 202 answer as a signing step, if it is one.
func asSigningStep(a *answer) (*wire.SigningStepBody, bool) {
	if a.status != http.StatusAccepted {
		return nil, false
	}
	var s wire.SigningStepBody
	if json.Unmarshal(a.body, &s) != nil || s.Step == "" || s.SignURL == "" {
		return nil, false
	}
	return &s, true
}

// stepOrder is the order of a call's signing steps. A call resumed with its Idempotency-Key may start at any of
// them, but a call never goes back to a step or repeats one.
var stepOrder = map[string]int{"proposal": 1, "transaction": 2, "commit": 3}

// signSteps follows a call through its signing steps: each is checked, signed here and sent, until the gateway
// answers the call's outcome. Every step is of the transaction the first named, and of a later step than the one
// before; a proposal is of the call that req (with its encoded body) runs, so is a transaction when the call signed
// no proposal (resumed at its transaction step), and a read (an evaluate) is signed as a proposal only, so that a
// gateway cannot turn it into a transaction.
func (c *Client) signSteps(ctx context.Context, a *answer, req *request, body []byte) (*answer, error) {
	var txID, last string
	var proposal []byte // the proposal signed in this call
	var call *calls.Call
	var callErr error
	var read bool
	for steps := 0; ; steps++ {
		step, ok := asSigningStep(a)
		if !ok {
			return a, nil
		}
		if steps == 0 {
			// The chaincode call the request runs, as the gateway binds it; callErr when it runs none. A read is a
			// GET, or a call of a function the gateway evaluates whatever the method (calls.Call.Evaluate).
			call, callErr = calls.Of(req.method, req.path, req.query.Encode(), body)
			read = req.method == http.MethodGet || (callErr == nil && call.Evaluate)
		}
		if steps == 3 {
			return nil, failuref("the gateway asked for more than three signatures for one call")
		}
		if steps > 0 && step.TransactionID != txID {
			return nil, failuref("refusing to sign the %s of transaction %s: %v", step.Step, step.TransactionID,
				ledgererr.Messagef("the call is of transaction %s", txID))
		}
		if o := stepOrder[step.Step]; steps > 0 && o != 0 && o <= stepOrder[last] {
			return nil, failuref("refusing to sign the %s of transaction %s: %v", step.Step, step.TransactionID,
				ledgererr.Messagef("the call's %s was signed already", last))
		}
		if read && step.Step != "proposal" {
			return nil, failuref("refusing to sign the %s of transaction %s: %v", step.Step, step.TransactionID,
				ledgererr.Messagef("the call is a read, evaluated, never ordered"))
		}
		txID, last = step.TransactionID, step.Step
		// A proposal is held to the request's call, and so is a transaction without a proposal signed in this call
		// (a call resumed at its transaction step).
		held := step.Step == "proposal" || (step.Step == "transaction" && proposal == nil)
		if held && callErr != nil {
			return nil, failuref("refusing to sign the %s of transaction %s: %v", step.Step, step.TransactionID,
				ledgererr.Messagef("the SDK does not know the chaincode call of %s %s", req.method, req.path))
		}
		signature, signed, err := c.signer.sign(step, proposal, call)
		if err != nil {
			return nil, err
		}
		if step.Step == "proposal" {
			proposal = signed
		}
		if !strings.HasPrefix(step.SignURL, "/v1/signing/") {
			return nil, failuref("the gateway's sign_url %q is not a signing step", step.SignURL)
		}
		req := &request{method: http.MethodPost, path: step.SignURL, body: map[string]string{"signature": base64.StdEncoding.EncodeToString(signature)}}
		body, _ := json.Marshal(req.body)
		a, err = c.once(ctx, req, body)
		if err != nil {
			return nil, lostAfter(last, txID, err)
		}
		if a.status >= 400 {
			e, shaped := answeredError(a)
			if shaped {
				return nil, e
			}
			return nil, lostAfter(last, txID, e)
		}
	}
}

// lostAfter is the error err that lost the answer to the signature of a call's step: once the transaction's is
// sent, the gateway may have it ordered, and the transaction may commit (TransactionSentError).
func lostAfter(step, txID string, err error) error {
	if stepOrder[step] >= stepOrder["transaction"] {
		return &TransactionSentError{TransactionID: txID, Err: err}
	}
	return err
}

// sign checks what a step asks to sign and signs its digest; it returns the signature and the bytes signed. A
// proposal is signed only as a proposal of call, the chaincode call of the member's request; a transaction only as
// the endorsement of proposal, the proposal the call signed, or, when it signed none, as an endorsed transaction of
// call.
func (m *memberSigner) sign(s *wire.SigningStepBody, proposal []byte, call *calls.Call) (signature, signed []byte, err error) {
	msg, err := base64.StdEncoding.DecodeString(s.Bytes)
	if err != nil {
		return nil, nil, failuref("the %s to sign is not base64", s.Step)
	}
	digest, err := base64.StdEncoding.DecodeString(s.Digest)
	if err != nil {
		return nil, nil, failuref("the digest to sign is not base64")
	}
	part, err := signedPart(s.Step, msg)
	if err == nil {
		err = m.check(part, digest, s.TransactionID)
	}
	if err == nil && s.Step == "proposal" && call != nil {
		err = proposesCall(part.signed, call)
	}
	if err == nil && s.Step == "transaction" {
		if proposal != nil {
			err = endorsementOf(proposal, part)
		} else {
			err = transactionOfCall(part.input, call)
		}
	}
	if err != nil {
		return nil, nil, failuref("refusing to sign the %s of transaction %s: %v", s.Step, s.TransactionID, err)
	}
	signature, err = SignDigest(m.signer, digest)
	return signature, part.signed, err
}

// proposesCall checks that a proposal calls what the member's request runs (package calls binds it as the gateway
// does): the function, the arguments in order and the transient documents, nothing more or less. Otherwise a
// gateway could have the member sign a proposal of another function, or of other arguments, as the member.
func proposesCall(proposal []byte, call *calls.Call) error {
	_, payload, ok := readProposal(proposal)
	var spec peer.ChaincodeInvocationSpec
	if !ok || proto.Unmarshal(payload.GetInput(), &spec) != nil {
		return notOfStep("proposal")
	}
	if err := callsWith(spec.GetChaincodeSpec().GetInput().GetArgs(), call); err != nil {
		return err
	}
	transient := payload.GetTransientMap()
	if len(transient) != len(call.Transient) {
		return ledgererr.Messagef("the proposal's transient data is not the request's")
	}
	for k, v := range call.Transient {
		if got, ok := transient[k]; !ok || !bytes.Equal(got, v) {
			return ledgererr.Messagef("the proposal's transient data is not the request's")
		}
	}
	return nil
}

// readProposal reads a proposal the member is asked to sign and its chaincode proposal payload (what it asks the
// chaincode); ok is false when the bytes are not a proposal.
func readProposal(proposal []byte) (p *peer.Proposal, payload *peer.ChaincodeProposalPayload, ok bool) {
	p, payload = new(peer.Proposal), new(peer.ChaincodeProposalPayload)
	if proto.Unmarshal(proposal, p) != nil || proto.Unmarshal(p.GetPayload(), payload) != nil {
		return nil, nil, false
	}
	return p, payload, true
}

// callsWith checks that a chaincode input's arguments are the call's: its function, then its arguments in order,
// nothing more or less.
func callsWith(args [][]byte, call *calls.Call) error {
	if len(args) == 0 || string(args[0]) != call.Function {
		return ledgererr.Messagef("the proposal does not call %s, the function of the request", call.Function)
	}
	if len(args)-1 != len(call.Args) {
		return ledgererr.Messagef("the proposal's arguments are not those of the request")
	}
	for i, a := range call.Args {
		if string(args[i+1]) != a {
			return ledgererr.Messagef("the proposal's arguments are not those of the request")
		}
	}
	return nil
}

// endorsementOf checks that a transaction is the endorsement of proposal, as Fabric builds it: the proposal's
// header, and the proposal's chaincode input without its transient data (which never goes into a block), endorsed
// (endorsedInput, which read the transaction into tx). Otherwise a gateway could have the member sign a transaction
// that runs another function, other arguments or another chaincode, under the header of the proposal the member
// signed, with endorsements of its own making.
func endorsementOf(proposal []byte, tx *stepPart) error {
	p, asked, ok := readProposal(proposal)
	var h common.Header
	if !ok || proto.Unmarshal(p.GetHeader(), &h) != nil {
		return notOfStep("proposal")
	}
	if !bytes.Equal(tx.header.GetChannelHeader(), h.GetChannelHeader()) || !bytes.Equal(tx.header.GetSignatureHeader(), h.GetSignatureHeader()) {
		return ledgererr.Messagef("the transaction's header is not the proposal's")
	}
	want, err := proto.Marshal(&peer.ChaincodeProposalPayload{Input: asked.GetInput()})
	if err != nil || !bytes.Equal(tx.input, want) {
		return ledgererr.Messagef("the transaction's chaincode input is not the proposal's")
	}
	return nil
}

// transactionOfCall checks a transaction of a call resumed at its transaction step, with no proposal signed in this
// call to hold it to: its endorsed chaincode input (endorsedInput) must call the function with the arguments that
// the request runs. Otherwise a gateway could skip the proposal and have the member sign a transaction of another
// call, endorsed by peers of its own. (The transient data of the proposal it was endorsed from is in no
// transaction: the endorsers read it from a proposal the member signed.)
func transactionOfCall(input []byte, call *calls.Call) error {
	var cpp peer.ChaincodeProposalPayload
	var spec peer.ChaincodeInvocationSpec
	if proto.Unmarshal(input, &cpp) != nil || proto.Unmarshal(cpp.GetInput(), &spec) != nil {
		return ledgererr.Messagef("the transaction is not one chaincode action")
	}
	return callsWith(spec.GetChaincodeSpec().GetInput().GetArgs(), call)
}

// endorsedInput reads a transaction's payload as Fabric builds it from a proposal: one chaincode action under the
// payload's signature header, whose chaincode input carries no transient data, and an endorsed result of the
// proposal of that header and input (its hash) by the chaincode the input calls. It returns the header, the
// chaincode input (a ChaincodeProposalPayload) and the chaincode the input calls.
func endorsedInput(payload []byte) (header *common.Header, input []byte, invoked string, err error) {
	var pl common.Payload
	var tx peer.Transaction
	if proto.Unmarshal(payload, &pl) != nil || proto.Unmarshal(pl.GetData(), &tx) != nil || len(tx.GetActions()) != 1 {
		return nil, nil, "", ledgererr.Messagef("the transaction is not one chaincode action")
	}
	h := pl.GetHeader()
	action := tx.GetActions()[0]
	if !bytes.Equal(action.GetHeader(), h.GetSignatureHeader()) {
		return nil, nil, "", ledgererr.Messagef("the transaction's header is not the proposal's")
	}
	var cap peer.ChaincodeActionPayload
	var got peer.ChaincodeProposalPayload
	var spec peer.ChaincodeInvocationSpec
	if proto.Unmarshal(action.GetPayload(), &cap) != nil || proto.Unmarshal(cap.GetChaincodeProposalPayload(), &got) != nil ||
		proto.Unmarshal(got.GetInput(), &spec) != nil {
		return nil, nil, "", ledgererr.Messagef("the transaction is not one chaincode action")
	}
	if len(got.GetTransientMap()) > 0 {
		return nil, nil, "", ledgererr.Messagef("the transaction carries the proposal's transient data")
	}
	var prp peer.ProposalResponsePayload
	var result peer.ChaincodeAction
	if proto.Unmarshal(cap.GetAction().GetProposalResponsePayload(), &prp) != nil || proto.Unmarshal(prp.GetExtension(), &result) != nil ||
		len(cap.GetAction().GetEndorsements()) == 0 {
		return nil, nil, "", ledgererr.Messagef("the transaction holds no endorsed result")
	}
	input = cap.GetChaincodeProposalPayload()
	sum := sha256.New()
	sum.Write(h.GetChannelHeader())
	sum.Write(h.GetSignatureHeader())
	sum.Write(input)
	if !bytes.Equal(prp.GetProposalHash(), sum.Sum(nil)) {
		return nil, nil, "", ledgererr.Messagef("the endorsed result is not of the proposal")
	}
	invoked = spec.GetChaincodeSpec().GetChaincodeId().GetName()
	if result.GetChaincodeId().GetName() != invoked {
		return nil, nil, "", ledgererr.Messagef("the endorsed result is of chaincode %q, not %q", result.GetChaincodeId().GetName(), invoked)
	}
	return h, input, invoked, nil
}

// check holds a step's message to what the member asked for: its digest, its transaction, the member's own
// identity, and the market's channel and chaincode.
func (m *memberSigner) check(p *stepPart, digest []byte, wantTxID string) error {
	sum := sha256.Sum256(p.signed)
	if !bytes.Equal(sum[:], digest) {
		return ledgererr.Messagef("the digest is not the SHA-256 of the message shown")
	}
	if p.txID != wantTxID {
		return ledgererr.Messagef("the message is of transaction %s", p.txID)
	}
	if err := m.deployment.holds(p); err != nil {
		return err
	}
	var id msp.SerializedIdentity
	if err := proto.Unmarshal(p.creator, &id); err != nil {
		return ledgererr.Messagef("the message names no identity that can be read")
	}
	block, _ := pem.Decode(id.GetIdBytes())
	if block == nil || !bytes.Equal(block.Bytes, m.cert.Raw) {
		return ledgererr.Messagef("the message is not of this member's certificate")
	}
	return nil
}

// stepPart is what a step's message says of itself: the bytes whose digest is signed, the identity they name,
// their transaction, and the channel and chaincodes they are of.
type stepPart struct {
	signed, creator []byte
	txID, channel   string
	// chaincodes are every chaincode the message names: for a proposal or a transaction, the one its header's
	// extension names (which the peer endorses, and whose endorsement policy applies) and the one its chaincode
	// invocation calls; none for a commit-status request.
	chaincodes []string
	// header and input are a transaction's header and endorsed chaincode input (endorsedInput).
	header *common.Header
	input  []byte
}

// signedPart reads a step's message; a transaction must be an endorsed chaincode call (endorsedInput).
func signedPart(step string, msg []byte) (*stepPart, error) {
	switch step {
	case "proposal":
		var pt gateway.ProposedTransaction
		var p peer.Proposal
		var h common.Header
		var payload peer.ChaincodeProposalPayload
		var spec peer.ChaincodeInvocationSpec
		if proto.Unmarshal(msg, &pt) != nil || proto.Unmarshal(pt.GetProposal().GetProposalBytes(), &p) != nil ||
			proto.Unmarshal(p.GetPayload(), &payload) != nil || proto.Unmarshal(payload.GetInput(), &spec) != nil {
			return nil, notOfStep(step)
		}
		if proto.Unmarshal(p.GetHeader(), &h) != nil {
			return nil, errHeader
		}
		part, err := endorserHeader(&h)
		if err != nil {
			return nil, err
		}
		part.signed = pt.GetProposal().GetProposalBytes()
		part.chaincodes = append(part.chaincodes, spec.GetChaincodeSpec().GetChaincodeId().GetName())
		return part, nil
	case "transaction":
		var pt gateway.PreparedTransaction
		if proto.Unmarshal(msg, &pt) != nil {
			return nil, notOfStep(step)
		}
		header, input, invoked, err := endorsedInput(pt.GetEnvelope().GetPayload())
		if err != nil {
			return nil, err
		}
		part, err := endorserHeader(header)
		if err != nil {
			return nil, err
		}
		part.signed, part.header, part.input = pt.GetEnvelope().GetPayload(), header, input
		part.chaincodes = append(part.chaincodes, invoked)
		return part, nil
	case "commit":
		var sr gateway.SignedCommitStatusRequest
		var r gateway.CommitStatusRequest
		if proto.Unmarshal(msg, &sr) != nil || proto.Unmarshal(sr.GetRequest(), &r) != nil {
			return nil, notOfStep(step)
		}
		return &stepPart{signed: sr.GetRequest(), creator: r.GetIdentity(), txID: r.GetTransactionId(), channel: r.GetChannelId()}, nil
	}
	return nil, ledgererr.Messagef("unknown step %q", step)
}

// notOfStep is a step's message that is not the Fabric message of that step.
func notOfStep(step string) error {
	return ledgererr.Messagef("the message is not a Fabric %s", step)
}

// errHeader is a message whose header cannot be read.
var errHeader = ledgererr.Messagef("the message's header cannot be read")

// endorserHeader reads a proposal's or transaction's header: it must be an endorser transaction (a chaincode
// call, never a configuration update). It returns the header's part of the message: the creator, the
// transaction, the channel, and the chaincode its extension names.
func endorserHeader(h *common.Header) (*stepPart, error) {
	var ch common.ChannelHeader
	var sh common.SignatureHeader
	var ext peer.ChaincodeHeaderExtension
	if proto.Unmarshal(h.GetChannelHeader(), &ch) != nil || proto.Unmarshal(h.GetSignatureHeader(), &sh) != nil {
		return nil, errHeader
	}
	if ch.GetType() != int32(common.HeaderType_ENDORSER_TRANSACTION) {
		return nil, ledgererr.Messagef("the message is a %s, not a chaincode transaction", common.HeaderType(ch.GetType()).String())
	}
	if proto.Unmarshal(ch.GetExtension(), &ext) != nil {
		return nil, errHeader
	}
	return &stepPart{creator: sh.GetCreator(), txID: ch.GetTxId(), channel: ch.GetChannelId(),
		chaincodes: []string{ext.GetChaincodeId().GetName()}}, nil
}
