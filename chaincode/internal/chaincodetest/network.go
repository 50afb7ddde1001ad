package chaincodetest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/deltaledger/deltaledger/chaincode/internal/peerclock"
	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
)

// Network is a channel with one chaincode defined on it, its peers and its
// ordering service reduced to what chaincode can observe. It turns
// invocations into proposals, has them endorsed by simulating the chaincode
// on the peers of the endorsing orgs, validates submitted transactions
// against the endorsement policies and commits them to its [Ledger], one
// transaction per block.
//
// Transactions are processed one at a time, so they never conflict: there
// are no MVCC read conflicts or phantom reads. A transaction being processed
// may use the network's clock and read its ledger, but must not invoke the
// network again: that would wait forever for itself to finish.
//
// A Network is safe for concurrent use.
type Network struct {
	cc      shim.Chaincode
	channel *channel
	ledger  *Ledger
	plan    bool
	clock   clock

	// mu serializes transactions.
	mu      sync.Mutex
	txCount uint64
}

// NewNetwork returns a network running the chaincode, for example a
// *contractapi.ContractChaincode. It panics if the options are inconsistent,
// such as a collection member that is not a channel org.
func NewNetwork(cc shim.Chaincode, opts ...Option) *Network {
	if cc == nil {
		panic("chaincodetest: NewNetwork: nil chaincode")
	}
	cfg := newConfig(opts)
	ch, err := newChannel(cfg)
	if err != nil {
		panic("chaincodetest: NewNetwork: " + err.Error())
	}
	n := &Network{cc: cc, channel: ch, ledger: newLedger(), plan: cfg.planEndorser, clock: clock{now: cfg.start}}
	// The peers' wall clock, against which contracts check a transaction's
	// timestamp, is the network's clock from now on (see peerclock).
	peerclock.Now = n.Now
	return n
}

// Ledger returns the network's committed ledger.
func (n *Network) Ledger() *Ledger {
	return n.ledger
}

// Call describes a chaincode invocation in full.
type Call struct {
	// Function is the chaincode function, the first argument.
	Function string
	// Args are the function's arguments.
	Args []string
	// Transient is the transient data of the proposal, which chaincode
	// reads with GetTransient and which never reaches the ledger.
	Transient map[string][]byte
	// PeerMSP is the org of the peer the client connects to (its
	// gateway), which evaluates the transaction, or endorses it first when
	// Endorsers is empty. The default is the org of the invoking identity.
	PeerMSP string
	// Endorsers are the orgs whose peers endorse the transaction, in order,
	// one peer each (name an org twice for two of its peers), like a client
	// setting its endorsing organizations. The default is PeerMSP alone, or
	// PeerMSP and the orgs chosen by WithEndorsementPlanning. Evaluations
	// ignore it.
	Endorsers []string
	// Evaluate makes the invocation a query: it runs on the peer of PeerMSP
	// and is never committed, like evaluateTransaction.
	Evaluate bool
	// Init calls the chaincode's Init instead of Invoke, as for a
	// chaincode definition that requires initialization.
	Init bool
	// Timestamp, if set, is the time the client writes into the proposal
	// instead of the clock's, as any client may: the clock, which is also
	// the peers' wall clock, then stays where it is.
	Timestamp time.Time
	// TxID, if set, is the transaction's ID instead of the next one's. A
	// real client chooses the nonce the ID is the hash of, so it may search
	// for one whose ID begins as another's does (the test must keep the
	// whole ID unique, as the channel does).
	TxID string
}

// Submit invokes the chaincode function with the arguments as id and, if
// the chaincode succeeds, commits the transaction, like submitTransaction.
func (n *Network) Submit(id Identity, function string, args ...string) Result {
	return n.Invoke(id, Call{Function: function, Args: args})
}

// Evaluate invokes the chaincode function with the arguments as id without
// committing anything, like evaluateTransaction.
func (n *Network) Evaluate(id Identity, function string, args ...string) Result {
	return n.Invoke(id, Call{Function: function, Args: args, Evaluate: true})
}

// Invoke proposes the call to the chaincode as id. The proposal gets the
// next transaction ID and the clock's current time, and the clock then moves
// on by a second (unless the call sets its Timestamp).
//
// The chaincode runs on a peer of each endorsing org. If any run returns a
// status of 400 or more, the result carries its response and an error, and
// nothing reaches the ledger; if the runs disagree, as nondeterministic
// chaincode makes them, the gateway's error is returned instead. An
// evaluation stops there. A submitted transaction is then validated against
// the endorsement policies (see [EvaluatePolicy]) and committed: its writes
// are applied atomically if it is valid, and it is recorded, valid or not.
func (n *Network) Invoke(id Identity, call Call) Result {
	args := make([][]byte, 0, 1+len(call.Args))
	args = append(args, []byte(call.Function))
	for _, arg := range call.Args {
		args = append(args, []byte(arg))
	}
	return n.invoke(id, call, args, func(stub *Stub) *peer.Response {
		if call.Init {
			return n.cc.Init(stub)
		}
		return n.cc.Invoke(stub)
	})
}

// SubmitFunc runs fn in place of the chaincode as a submitted transaction by
// id, and commits its writes like Submit if it returns nil. It is a way to
// arrange ledger state without going through chaincode functions, or to
// test code that takes a stub. fn must not invoke the network.
func (n *Network) SubmitFunc(id Identity, fn func(stub shim.ChaincodeStubInterface) error) Result {
	return n.InvokeFunc(id, Call{}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		return nil, fn(stub)
	})
}

// Writes are the ledger writes of a forged transaction (see
// [Network.Forge]): the value to write at each key, verbatim; a nil value
// deletes the key.
type Writes map[string][]byte

// Forge commits writes in a transaction of id that the peers of the orgs
// endorsers alone endorse, one each in order (by default id's org alone),
// running code of their own in place of the chaincode: what those orgs can
// write without the chaincode and without any other org. Validation lets it
// through only where the policies of all the keys written are met by those
// orgs; attack tests use it to show that a key is no coalition's to rewrite,
// and to plant the bad or old records a ledger may hold. The keys are
// written in sorted order, so the transaction is the same on every run.
func (n *Network) Forge(id Identity, writes Writes, endorsers ...string) Result {
	if len(endorsers) == 0 {
		endorsers = []string{id.MSPID}
	}
	return n.InvokeFunc(id, Call{PeerMSP: endorsers[0], Endorsers: endorsers},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			for _, key := range slices.Sorted(maps.Keys(writes)) {
				if err := forgeWrite(stub, key, writes[key]); err != nil {
					return nil, err
				}
			}
			return nil, nil
		})
}

// forgeWrite writes value at key, or deletes key if value is nil.
func forgeWrite(stub shim.ChaincodeStubInterface, key string, value []byte) error {
	if value == nil {
		return stub.DelState(key)
	}
	return stub.PutState(key, value)
}

// PutAlone writes value, verbatim, at key in a transaction of id that the
// peers of id's org alone endorse, running code of their own: Forge of that
// one write.
func (n *Network) PutAlone(id Identity, key string, value []byte) Result {
	return n.Forge(id, Writes{key: value})
}

// JSON returns v encoded as JSON, the way the contracts store records, for
// a write of [Network.Forge]; it fails the test immediately if v does not
// encode.
func JSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T as JSON: %v", v, err)
	}
	return b
}

// InvokeFunc runs fn in place of the chaincode, as Invoke runs the chaincode
// for the call; the stub's arguments are the call's. A nil error from fn is
// a success response with its payload, and an error is an error response.
func (n *Network) InvokeFunc(id Identity, call Call, fn func(stub shim.ChaincodeStubInterface) ([]byte, error)) Result {
	var args [][]byte
	if call.Function != "" || len(call.Args) > 0 {
		args = append(args, []byte(call.Function))
		for _, arg := range call.Args {
			args = append(args, []byte(arg))
		}
	}
	return n.invoke(id, call, args, func(stub *Stub) *peer.Response {
		payload, err := fn(stub)
		if err != nil {
			return shim.Error(err.Error())
		}
		return shim.Success(payload)
	})
}

// endorsement is one peer's simulation of a proposal.
type endorsement struct {
	mspID        string
	response     *peer.Response
	writes       *writeSet
	event        *Event
	privateReads []string
	requests     []string
	reads        []string
}

// invoke runs a proposal through endorsement and, unless it is an
// evaluation, ordering and commit. Everything happens under n.mu, so
// transactions are processed strictly one after another.
func (n *Network) invoke(id Identity, call Call, args [][]byte, run func(*Stub) *peer.Response) Result {
	n.mu.Lock()
	defer n.mu.Unlock()

	n.txCount++
	timestamp := call.Timestamp
	if timestamp.IsZero() {
		timestamp = n.clock.tick()
	}
	txID := call.TxID
	if txID == "" {
		txID = txIDFor(n.txCount)
	}
	prop := newProposal(proposal{
		txID:      txID,
		channel:   n.channel.name,
		chaincode: n.channel.chaincode,
		timestamp: timestamp,
		creator:   id,
		args:      args,
		transient: call.Transient,
		isInit:    call.Init,
	})

	result := Result{TxID: prop.txID}
	if err := n.channel.checkCreator(id); err != nil {
		result.Err = err
		return result
	}
	peerMSP := cmp.Or(call.PeerMSP, id.MSPID)
	endorsers := slices.Clone(call.Endorsers)
	if call.Evaluate || len(endorsers) == 0 {
		endorsers = []string{peerMSP}
	}
	for _, mspID := range endorsers {
		if !n.channel.hasOrg(mspID) {
			result.Err = fmt.Errorf("no peer of org %q on channel %s", mspID, n.channel.name)
			return result
		}
	}

	first := n.endorse(prop, endorsers[0], run)
	result.setResponse(first)
	result.Err = first.err()
	if result.Err != nil || call.Evaluate {
		return result
	}
	if n.plan && len(call.Endorsers) == 0 {
		endorsers = planEndorsers(n.ledger, n.channel, first.writes, peerMSP, first.privateReads)
		if len(call.Transient) > 0 {
			if err := protectTransient(n.channel, first.writes, endorsers); err != nil {
				result.Err = err
				return result
			}
		}
	}
	if failed, err := n.endorseRest(prop, first, endorsers[1:], run); err != nil {
		if failed != nil {
			result.setResponse(failed)
		}
		result.Err = err
		return result
	}
	result.Endorsers = endorsers
	result.SufficientEndorsers = sufficientEndorsers(n.ledger, n.channel, first.writes)
	result.ValidationCode, result.Err = n.commit(prop, first, endorsers)
	return result
}

// endorseRest collects the endorsements after the first one, which must all
// agree with it. If one fails, it is returned with the error.
func (n *Network) endorseRest(prop *proposal, first *endorsement, endorsers []string, run func(*Stub) *peer.Response) (*endorsement, error) {
	for _, mspID := range endorsers {
		other := n.endorse(prop, mspID, run)
		if err := other.err(); err != nil {
			return other, fmt.Errorf("endorsement by a peer of %s failed: %w", mspID, err)
		}
		if !other.matches(first) {
			return nil, fmt.Errorf("ProposalResponsePayloads do not match: the endorsement of a peer of %s differs from that of a peer of %s; is the chaincode deterministic?", mspID, first.mspID)
		}
	}
	return nil, nil
}

// commit validates the endorsed transaction, records it in the ledger and,
// if it is valid, applies its writes. It returns the validation code and,
// for an invalid transaction, the error a client waiting for the commit
// would get.
func (n *Network) commit(prop *proposal, e *endorsement, endorsers []string) (string, error) {
	code := peer.TxValidationCode_VALID
	writes := e.writes
	err := validateEndorsements(n.ledger, n.channel, writes, endorsers)
	if err != nil {
		code = peer.TxValidationCode_ENDORSEMENT_POLICY_FAILURE
		writes = nil
		err = fmt.Errorf("transaction %s failed to commit with status code %d (%s): %w", prop.txID, code, code, err)
	}
	n.ledger.commit(Transaction{
		TxID:           prop.txID,
		Timestamp:      prop.timestamp,
		Creator:        prop.creator,
		Args:           stringArgs(prop.args),
		Endorsers:      endorsers,
		ValidationCode: code.String(),
		Event:          e.event,
	}, writes)
	return code.String(), err
}

// peerMSPEnv is the environment variable the shim reads its peer's org from.
const peerMSPEnv = "CORE_PEER_LOCALMSPID"

// endorse simulates the proposal on a peer of the org.
//
// A chaincode process learns its peer's org from CORE_PEER_LOCALMSPID (the
// shim's GetMSPID); it is set to the endorsing peer's org while the peer
// simulates, and restored afterwards, so that each endorser of one
// transaction sees its own org as a real peer's chaincode does.
func (n *Network) endorse(p *proposal, mspID string, run func(*Stub) *peer.Response) *endorsement {
	stub := newStub(n.ledger, n.channel, p, mspID)
	previous, had := os.LookupEnv(peerMSPEnv)
	os.Setenv(peerMSPEnv, mspID)
	response := run(stub)
	if had {
		os.Setenv(peerMSPEnv, previous)
	} else {
		os.Unsetenv(peerMSPEnv)
	}
	stub.finish()
	if response == nil {
		response = shim.Error("chaincode returned a nil response")
	}
	return &endorsement{
		mspID:        mspID,
		response:     response,
		writes:       stub.writes,
		event:        stub.event,
		privateReads: stub.privateReadCollections(),
		requests:     stub.requests,
		reads:        stub.readKeys(),
	}
}

// err is the error a client sees when the chaincode's response is an
// error, in the gateway's words.
func (e *endorsement) err() error {
	if e.response.Status < shim.ERRORTHRESHOLD {
		return nil
	}
	return fmt.Errorf("chaincode response %d, %s", e.response.Status, e.response.Message)
}

// matches reports whether two endorsements of a proposal agree, as the
// gateway requires of the proposal responses it puts in a transaction.
func (e *endorsement) matches(other *endorsement) bool {
	return e.response.Status == other.response.Status &&
		e.response.Message == other.response.Message &&
		bytes.Equal(e.response.Payload, other.response.Payload) &&
		e.writes.equal(other.writes) &&
		eventsEqual(e.event, other.event)
}

func eventsEqual(a, b *Event) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && bytes.Equal(a.Payload, b.Payload)
}

func (r *Result) setResponse(e *endorsement) {
	r.Status = e.response.Status
	r.Payload = e.response.Payload
	r.Message = e.response.Message
	r.Event = e.event
	r.Requests = e.requests
	r.PrivateReads = e.privateReads
	r.Reads = e.reads
}

func stringArgs(args [][]byte) []string {
	s := make([]string, len(args))
	for i, arg := range args {
		s[i] = string(arg)
	}
	return s
}
