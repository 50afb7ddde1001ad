// Package signing keeps the calls that members whose keys the gateway does not hold sign themselves (Fabric's
// offline signing), between the steps of each: the proposal waits for the member's signature, then the endorsed
// transaction, then the commit-status request. A call belongs to the certificate that started it: no other caller
// can see or continue it, and every signature is checked against that certificate's key before anything is sent
// to Fabric, so a signature by any other key is refused here, with the reason, and changes nothing.
//
// Calls live in memory for a few minutes. Losing them (a restart, an expiry) costs the member a new start: nothing
// is sent for ordering before the member signs the transaction, and after that the member's commit-status request
// is the last step.
package signing

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Step names what a call waits for the member to sign.
type Step string

// The steps of an offline-signed call, in order.
const (
	StepProposal    Step = "proposal"
	StepTransaction Step = "transaction"
	StepCommit      Step = "commit"
)

// Message names the step in the reader's language.
func (s Step) Message() *ledgererr.Message {
	switch s {
	case StepProposal:
		return ledgererr.Messagef("proposal")
	case StepTransaction:
		return ledgererr.Messagef("transaction")
	default:
		return ledgererr.Messagef("commit")
	}
}

// Call is one offline-signed chaincode call between its steps.
type Call struct {
	// TransactionID identifies the call (its transaction's ID).
	TransactionID string
	// Owner is the certificate of the member who started it; only it signs and continues the call.
	Owner *x509.Certificate
	// Step is what the call waits for.
	Step Step
	// Submit says the call is a transaction; otherwise it is evaluated once its proposal is signed.
	Submit bool
	// Route is the ID of the operation that started it, to answer as that operation does.
	Route string

	// Key is the member's Idempotency-Key of the request that started the call, "" for none, and Fingerprint
	// identifies that request.
	Key, Fingerprint string

	Proposal    chain.Proposal
	Transaction chain.EndorsedTransaction
	Commit      chain.Commit

	expires time.Time
	// The store's bookkeeping: the owner's certificate hash (whose idempotency keys are its own), the owner's
	// member (its identity, whatever its key: the per-member count's key), the idempotency key's entry, whether the store took the call in (then it is never refused for room or count, and not taken in again
	// once ended), whether a request runs a step of it now (Take), the bytes it is counted for, and its entry in the
	// expiry queue (none while taken).
	owner    string
	member   string
	keyed    string
	admitted bool
	taken    bool
	charged  int
	seq      uint64
}

// Signable returns what the call waits to have signed.
func (c *Call) Signable() chain.Signable {
	switch c.Step {
	case StepTransaction:
		return c.Transaction.Signable()
	case StepCommit:
		return c.Commit.Signable()
	default:
		return c.Proposal.Signable()
	}
}

// Expires is when the call is forgotten unless its next step is signed.
func (c *Call) Expires() time.Time { return c.expires }

// Verify checks that signature is the owner's ECDSA signature of digest as Fabric accepts it (ASN.1 DER, low S),
// and says why not. It runs before a signed message is sent anywhere.
func Verify(owner *x509.Certificate, digest, signature []byte) error {
	pub, ok := owner.PublicKey.(*ecdsa.PublicKey)
	if !ok {
		return fmt.Errorf("the certificate's key is %T; members sign with ECDSA", owner.PublicKey)
	}
	var sig struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(signature, &sig); err != nil || len(rest) > 0 || sig.R == nil || sig.S == nil {
		return ledgererr.Messagef("not an ASN.1 DER ECDSA signature")
	}
	if sig.S.Cmp(new(big.Int).Rsh(pub.Curve.Params().N, 1)) > 0 {
		return ledgererr.Messagef("its S is in the upper half of the curve order; Fabric accepts only low-S signatures (negate S modulo N)")
	}
	if len(digest) != sha256.Size || !ecdsa.Verify(pub, digest, sig.R, sig.S) {
		return fmt.Errorf("it does not verify with the public key of the caller's certificate (%s, serial %s) over this step's digest: "+
			"signed with another key, or over other bytes", owner.Subject.String(), owner.SerialNumber.Text(16))
	}
	return nil
}
