package chaincodetest

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

var _ shim.ChaincodeStubInterface = (*Stub)(nil)

// Stub is the shim.ChaincodeStubInterface that chaincode under test gets: one
// transaction's simulation on the peer of one org, against the committed
// [Ledger]. A [Network] creates a Stub for every endorsement it collects.
//
// A Stub behaves like the shim talking to a peer with a LevelDB state
// database:
//   - Reads see committed state only. Fabric has no read-your-own-writes: a
//     GetState after a PutState of the same key in the same transaction
//     returns the committed value, and queries do not see the transaction's
//     writes either.
//   - Writes (PutState, DelState, the private data writes, the validation
//     parameter setters) go to the transaction's write set, which the
//     network commits only if the transaction is submitted, succeeds and
//     is valid. The last write to a key wins. PutState with an empty value
//     is a delete, as on the peer.
//   - Errors that the shim raises itself (empty keys, bad composite key
//     attributes) are returned as the shim returns them. Errors the peer
//     raises read like the peer's: "<REQUEST> failed: transaction ID:
//     <TxID>: <cause>".
//   - The simulator's restrictions hold: paginated queries and private data
//     range queries are only allowed before the transaction writes anything,
//     and no writes are allowed after them.
//   - Once the chaincode function returns, the Stub refuses further ledger
//     access, as the peer does for a finished transaction.
//
// A Stub is not safe for concurrent use; neither is the shim's.
type Stub struct {
	ledger   *Ledger
	channel  *channel
	proposal *proposal
	// peerMSP is the org of the peer simulating the transaction; it
	// decides which private data collections are readable.
	peerMSP string

	writes       *writeSet
	event        *Event
	privateReads map[string]bool
	// reads are the public keys the simulation read (read).
	reads map[string]bool

	// The transaction simulator's guards
	// (core/ledger/kvledger/txmgmt/txmgr/tx_simulator.go).
	writePerformed          bool
	paginatedQueryPerformed bool
	privateQueryPerformed   bool

	// requests are the requests sent to the peer (onPeer), in order.
	requests []string

	done bool
}

func newStub(l *Ledger, ch *channel, p *proposal, peerMSP string) *Stub {
	return &Stub{
		ledger:       l,
		channel:      ch,
		proposal:     p,
		peerMSP:      peerMSP,
		writes:       newWriteSet(),
		privateReads: map[string]bool{},
		reads:        map[string]bool{},
	}
}

// read notes that the simulation read the public keys: the peer records each
// in the transaction's read set (a range query's keys in its range query
// info), which is in every proposal response and so in the transaction its
// submitter signs.
func (s *Stub) read(keys ...string) {
	for _, key := range keys {
		s.reads[key] = true
	}
}

// readKeys returns the public keys the simulation read, sorted.
func (s *Stub) readKeys() []string {
	return slices.Sorted(maps.Keys(s.reads))
}

// finish ends the simulation: from now on the peer has no ledger context
// for the transaction.
func (s *Stub) finish() {
	s.done = true
}

// onPeer runs a request that the shim sends to the peer, and reports its
// failure the way the peer's chaincode handler does.
func (s *Stub) onPeer(request peer.ChaincodeMessage_Type, handle func() error) error {
	err := errors.New("no ledger context: the transaction has completed")
	if !s.done {
		s.requests = append(s.requests, request.String())
		err = handle()
	}
	if err != nil {
		return fmt.Errorf("%s failed: transaction ID: %s: %w", request, s.proposal.txID, err)
	}
	return nil
}

// readOnPeer runs a request that reads what read returns; the value is nil
// (T's zero) when the request fails.
func readOnPeer[T any](s *Stub, request peer.ChaincodeMessage_Type, read func() (T, error)) (T, error) {
	var value T
	err := s.onPeer(request, func() error {
		var err error
		value, err = read()
		return err
	})
	return value, err
}

// publicWrite performs the peer's check before public state is written,
// then records the write (privateWrite is its collection twin).
func (s *Stub) publicWrite(request peer.ChaincodeMessage_Type, record func()) error {
	return s.onPeer(request, func() error {
		if err := s.checkWrite(); err != nil {
			return err
		}
		record()
		return nil
	})
}

// checkWrite is the simulator's precondition for every write.
func (s *Stub) checkWrite() error {
	if s.privateQueryPerformed {
		return fmt.Errorf("txid [%s]: unsuppored transaction. Transaction has already performed queries on pvt data. Writes are not allowed", s.proposal.txID)
	}
	if s.paginatedQueryPerformed {
		return fmt.Errorf("txid [%s]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed", s.proposal.txID)
	}
	s.writePerformed = true
	return nil
}

// GetArgs returns the invocation's arguments: the function name, then its
// parameters.
func (s *Stub) GetArgs() [][]byte {
	return cloneArgs(s.proposal.args)
}

// GetStringArgs returns the invocation's arguments as strings.
func (s *Stub) GetStringArgs() []string {
	args := make([]string, 0, len(s.proposal.args))
	for _, arg := range s.proposal.args {
		args = append(args, string(arg))
	}
	return args
}

// GetFunctionAndParameters returns the first argument as the function name
// and the rest as its parameters; both are empty without arguments.
func (s *Stub) GetFunctionAndParameters() (function string, params []string) {
	args := s.GetStringArgs()
	if len(args) == 0 {
		return "", []string{}
	}
	return args[0], args[1:]
}

// GetArgsSlice returns the arguments concatenated.
func (s *Stub) GetArgsSlice() ([]byte, error) {
	return slices.Concat(s.proposal.args...), nil
}

// GetTxID returns the transaction ID.
func (s *Stub) GetTxID() string {
	return s.proposal.txID
}

// GetChannelID returns the channel name.
func (s *Stub) GetChannelID() string {
	return s.proposal.channel
}

// InvokeChaincode is not supported: the network runs a single chaincode. It
// returns an error response, which chaincode sees as the called chaincode
// failing.
func (s *Stub) InvokeChaincode(chaincodeName string, args [][]byte, channel string) *peer.Response {
	return shim.Error(fmt.Sprintf("chaincodetest: cannot invoke chaincode %q: chaincode-to-chaincode invocation is not supported", chaincodeName))
}

// GetState returns the committed value of key, or nil if it does not exist.
// It does not see the transaction's own writes.
func (s *Stub) GetState(key string) ([]byte, error) {
	return readOnPeer(s, peer.ChaincodeMessage_GET_STATE, func() ([]byte, error) {
		s.read(key)
		return s.ledger.State(key), nil
	})
}

// GetMultipleStates returns the committed values of the keys, in order, nil
// for those that do not exist; (nil, nil) when no key is given.
func (s *Stub) GetMultipleStates(keys ...string) ([][]byte, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return readOnPeer(s, peer.ChaincodeMessage_GET_STATE_MULTIPLE, func() ([][]byte, error) {
		var values [][]byte
		s.read(keys...)
		for _, key := range keys {
			values = append(values, s.ledger.State(key))
		}
		return values, nil
	})
}

// PutState records a write of value to key; an empty value records a
// delete, as on the peer. The key must not be empty.
func (s *Stub) PutState(key string, value []byte) error {
	if key == "" {
		return errors.New("key must not be an empty string")
	}
	return s.publicWrite(peer.ChaincodeMessage_PUT_STATE, func() {
		s.writes.put(publicData, key, value)
	})
}

// DelState records a delete of key, which also removes its key-level
// endorsement policy when committed. Like the shim, it accepts any key.
func (s *Stub) DelState(key string) error {
	return s.publicWrite(peer.ChaincodeMessage_DEL_STATE, func() {
		s.writes.put(publicData, key, nil)
	})
}

// SetStateValidationParameter records a write of key's key-level
// endorsement policy; a nil policy removes it. As on the peer, the policy of
// a key that exists neither in committed state nor in this transaction's
// writes is silently dropped at commit.
func (s *Stub) SetStateValidationParameter(key string, ep []byte) error {
	return s.publicWrite(peer.ChaincodeMessage_PUT_STATE_METADATA, func() {
		s.writes.setValidationParameter(publicData, key, ep)
	})
}

// GetStateValidationParameter returns the committed key-level endorsement
// policy of key, or nil if it has none.
func (s *Stub) GetStateValidationParameter(key string) ([]byte, error) {
	return readOnPeer(s, peer.ChaincodeMessage_GET_STATE_METADATA, func() ([]byte, error) {
		s.read(key)
		return s.ledger.ValidationParameter(key), nil
	})
}

// CreateCompositeKey joins objectType and attributes into a composite key,
// exactly as the shim does.
func (s *Stub) CreateCompositeKey(objectType string, attributes []string) (string, error) {
	return createCompositeKey(objectType, attributes)
}

// SplitCompositeKey splits a composite key into its object type and
// attributes. Unlike the shim, which panics, it returns an error for a key
// that is not a composite key.
func (s *Stub) SplitCompositeKey(compositeKey string) (string, []string, error) {
	return splitCompositeKey(compositeKey)
}

// GetCreator returns the serialized identity that submitted the
// transaction, a marshalled msp.SerializedIdentity.
func (s *Stub) GetCreator() ([]byte, error) {
	return s.proposal.creator.Serialized(), nil
}

// GetTransient returns the transient data of the proposal, nil if it has
// none.
func (s *Stub) GetTransient() (map[string][]byte, error) {
	if s.proposal.transient == nil {
		return nil, nil
	}
	transient := make(map[string][]byte, len(s.proposal.transient))
	for k, v := range s.proposal.transient {
		transient[k] = slices.Clone(v)
	}
	return transient, nil
}

// GetBinding returns the proposal binding, computed as the shim computes it
// from the nonce, creator and epoch.
func (s *Stub) GetBinding() ([]byte, error) {
	return slices.Clone(s.proposal.binding), nil
}

// GetDecorations returns nil: a peer's default decorator adds none.
func (s *Stub) GetDecorations() map[string][]byte {
	return nil
}

// GetSignedProposal returns the proposal being simulated. Its contents are
// complete and consistent with the other getters, but it is not signed.
func (s *Stub) GetSignedProposal() (*peer.SignedProposal, error) {
	return proto.Clone(s.proposal.signed).(*peer.SignedProposal), nil
}

// GetTxTimestamp returns the transaction's timestamp, the network clock's
// time when the transaction was proposed.
func (s *Stub) GetTxTimestamp() (*timestamppb.Timestamp, error) {
	return timestamppb.New(s.proposal.timestamp), nil
}

// SetEvent sets the transaction's chaincode event. A transaction has at most
// one: a later call replaces the event of an earlier one.
func (s *Stub) SetEvent(name string, payload []byte) error {
	if name == "" {
		return errors.New("event name can not be empty string")
	}
	s.event = &Event{Name: name, Payload: clone(payload)}
	return nil
}

// StartWriteBatch does nothing: writes are always kept until commit.
func (s *Stub) StartWriteBatch() {}

// FinishWriteBatch does nothing and returns nil.
func (s *Stub) FinishWriteBatch() error {
	return nil
}

// privateReadCollections returns the collections the transaction read
// private data from, sorted.
func (s *Stub) privateReadCollections() []string {
	return slices.Sorted(maps.Keys(s.privateReads))
}
