package chaincodetest

import (
	"encoding/json"
	"strings"
	"testing"
)

// Result is the outcome of a transaction proposal: the chaincode response
// and, for a submitted transaction, how it was committed.
type Result struct {
	// TxID is the transaction ID.
	TxID string
	// Status is the status of the chaincode response (shim.OK is 200;
	// 400 and above is an error), 0 if the chaincode did not run.
	Status int32
	// Payload is the payload of the chaincode response.
	Payload []byte
	// Message is the message of the chaincode response, the error message
	// for a failed invocation.
	Message string
	// Event is the chaincode event the transaction set, or nil. For a
	// submitted transaction it was committed only if ValidationCode is
	// "VALID".
	Event *Event
	// Endorsers are the MSP IDs of the peers that endorsed the transaction.
	Endorsers []string
	// SufficientEndorsers are, for a submitted transaction that reached
	// validation, the smallest sets of channel orgs whose endorsement would
	// have satisfied the policies its writes are subject to, judged against
	// the state it was validated on: any set of orgs passes validation if and
	// only if it includes one of them. Each set and the list are in the
	// order the orgs were configured. It tells what a transaction really
	// required, whichever orgs endorsed it.
	SufficientEndorsers [][]string
	// ValidationCode is the peer.TxValidationCode name the transaction was
	// committed with: "VALID", or "ENDORSEMENT_POLICY_FAILURE" if its
	// endorsements did not satisfy the policies its writes need. It is
	// empty if the transaction never reached the ledger: because it was
	// evaluated, or because endorsement failed.
	ValidationCode string
	// Err is nil if the proposal succeeded: the chaincode returned a
	// status below 400 and, for a submitted transaction, the transaction
	// was committed as valid. Otherwise it says what went wrong, and
	// nothing was written to the ledger.
	Err error
	// Requests are the requests the chaincode sent to the peer through the
	// shim while the (first) endorsing peer simulated the proposal, in
	// order, as peer.ChaincodeMessage_Type names ("GET_STATE",
	// "GET_STATE_MULTIPLE", "PUT_STATE", ...). Each read is one round trip
	// between the chaincode and the peer; the writes are listed one by one
	// although a peer with useWriteBatch receives them in one message when
	// the function returns.
	Requests []string
	// PrivateReads are the private data collections whose values (not
	// hashes) the chaincode read while the (first) endorsing peer
	// simulated the proposal, sorted: what only a peer of a collection's
	// member orgs can answer.
	PrivateReads []string
	// Reads are the public keys the chaincode read while the (first)
	// endorsing peer simulated the proposal, sorted: the keys of the read
	// set (a range query's keys too), which every proposal response
	// carries, so that whoever signs the transaction learns them, whatever
	// the chaincode answered. Private data reads are not among them.
	Reads []string
}

// OK reports whether the proposal succeeded.
func (r Result) OK() bool {
	return r.Err == nil
}

// MustOK fails the test immediately unless the proposal succeeded. It
// returns r, so calls can be chained.
func (r Result) MustOK(t testing.TB) Result {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("transaction %s failed: %v", r.TxID, r.Err)
	}
	return r
}

// MustFail fails the test immediately unless the proposal failed with an
// error whose message contains substr. It returns r, so calls can be
// chained.
func (r Result) MustFail(t testing.TB, substr string) Result {
	t.Helper()
	switch {
	case r.Err == nil:
		t.Fatalf("transaction %s succeeded, want an error containing %q", r.TxID, substr)
	case !strings.Contains(r.Err.Error(), substr):
		t.Fatalf("transaction %s failed with %q, want an error containing %q", r.TxID, r.Err, substr)
	}
	return r
}

// Unmarshal decodes the JSON payload of a successful proposal into v, and
// fails the test immediately if the proposal failed or the payload does not
// decode.
func (r Result) Unmarshal(t testing.TB, v any) {
	t.Helper()
	r.MustOK(t)
	if err := json.Unmarshal(r.Payload, v); err != nil {
		t.Fatalf("transaction %s: decoding payload %q: %v", r.TxID, r.Payload, err)
	}
}
