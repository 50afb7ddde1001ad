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
	"sync"
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

// Errors of Store.Take.
var (
	// ErrNoSuchCall means the caller has no call with that ID waiting at that step (none, another member's, another
	// step, expired or in progress): the same answer for all, so nobody learns of another member's calls.
	ErrNoSuchCall = ledgererr.Messagef("no call waits for this signature")
	// ErrTooMany means the member has MaxPerMember calls waiting already.
	ErrTooMany = ledgererr.Messagef("too many calls waiting for signatures")
)

// Store holds the calls between their steps.
type Store struct {
	ttl          time.Duration
	maxPerMember int
	now          func() time.Time

	mu    sync.Mutex
	calls map[string]*Call
	// keys maps an owner's idempotency key to its call's transaction ID while the call waits, and outcomes keeps
	// the answer of a finished one for ttl after it finished.
	keys     map[string]string
	outcomes map[string]Outcome
}

// Outcome is the final answer of a call started with an idempotency key, answered again to a retry.
type Outcome struct {
	Fingerprint string
	Status      int
	Body        []byte
	expires     time.Time
}

// Errors of Store.Find.
var (
	// ErrKeyReused means an idempotency key came back with another request.
	ErrKeyReused = ledgererr.Messagef("the Idempotency-Key was already used for a different request")
	// ErrInProgress means a step of the key's call is running now.
	ErrInProgress = ledgererr.Messagef("a step of the call with this Idempotency-Key is running; retry in a moment")
)

func keyOf(owner *x509.Certificate, key string) string {
	sum := sha256.Sum256(owner.Raw)
	return string(sum[:]) + "\x00" + key
}

// Find returns what a retry with the owner's idempotency key gets: the call still waiting (at its current step),
// or the outcome of the finished one; neither when the key is new. A key that comes back with another request is
// ErrKeyReused.
func (s *Store) Find(owner *x509.Certificate, key, fingerprint string) (*Call, *Outcome, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(owner, key)
	if o, ok := s.outcomes[k]; ok && s.now().Before(o.expires) {
		if o.Fingerprint != fingerprint {
			return nil, nil, ErrKeyReused
		}
		return nil, &o, nil
	}
	txID, ok := s.keys[k]
	if !ok {
		return nil, nil, nil
	}
	c, ok := s.calls[txID]
	switch {
	case !ok:
		return nil, nil, ErrInProgress // taken by the request running its step
	case !s.now().Before(c.expires):
		return nil, nil, nil
	case c.Fingerprint != fingerprint:
		return nil, nil, ErrKeyReused
	}
	return c, nil, nil
}

// Finish records the final answer of a call started with an idempotency key, for its retries.
func (s *Store) Finish(c *Call, status int, body []byte) {
	if c.Key == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := keyOf(c.Owner, c.Key)
	delete(s.keys, k)
	s.outcomes[k] = Outcome{Fingerprint: c.Fingerprint, Status: status, Body: body, expires: s.now().Add(s.ttl)}
}

// Drop forgets the idempotency key of a call that ended without an outcome to answer again, nothing having been sent
// for ordering (its endorsement failed, ordering refused it): a retry with the key runs the request again.
func (s *Store) Drop(c *Call) {
	if c.Key == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := keyOf(c.Owner, c.Key); s.keys[k] == c.TransactionID {
		delete(s.keys, k)
	}
}

// NewStore returns a store that keeps a call ttl after its last step and at most maxPerMember calls per member.
func NewStore(ttl time.Duration, maxPerMember int) *Store {
	return &Store{ttl: ttl, maxPerMember: maxPerMember, now: time.Now, calls: map[string]*Call{}, keys: map[string]string{}, outcomes: map[string]Outcome{}}
}

// Put keeps a call, new or at its next step, until its next signature arrives or ttl passes.
func (s *Store) Put(c *Call) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	owned := 0
	for k, o := range s.outcomes {
		if now.After(o.expires) {
			delete(s.outcomes, k)
		}
	}
	for id, other := range s.calls {
		if now.After(other.expires) {
			delete(s.calls, id)
			if other.Key != "" {
				delete(s.keys, keyOf(other.Owner, other.Key))
			}
			continue
		}
		if other.Owner.Equal(c.Owner) {
			owned++
		}
	}
	if owned >= s.maxPerMember {
		return fmt.Errorf("%w: at most %d per member; sign or let them expire (%s)", ErrTooMany, s.maxPerMember, s.ttl)
	}
	c.expires = now.Add(s.ttl)
	s.calls[c.TransactionID] = c
	if c.Key != "" {
		s.keys[keyOf(c.Owner, c.Key)] = c.TransactionID
	}
	return nil
}

// Take removes and returns the owner's call waiting at step, so that one request at a time continues it. The
// caller puts it back (Put) to wait for its next step, or for the same signature again after a refused one.
func (s *Store) Take(owner *x509.Certificate, txID string, step Step) (*Call, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.calls[txID]
	if !ok || !c.Owner.Equal(owner) || c.Step != step || s.now().After(c.expires) {
		return nil, ErrNoSuchCall
	}
	delete(s.calls, txID)
	return c, nil
}

// Len reports how many calls are kept, for tests and metrics.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls)
}

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
