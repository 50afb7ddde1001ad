package fabric_test

import (
	"context"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/gateway/internal/chain/fabric"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A call the member signs itself is evaluated and endorsed as the gateway's
// own calls are: a chaincode's refusal at either step is that refusal, of
// the member's transaction, and an endorsement refused sends nothing for
// ordering. (The mock peer checks no signature: what is tested is the
// gateway's side of each step.)
func TestSelfSignedStepsFailAsTheGatewaysOwnDo(t *testing.T) {
	r := newRig(t, fabric.Config{})
	r.peer.evalFn = func(*gateway.EvaluateRequest) ([]byte, error) {
		return nil, chaincodeError(codes.Unknown, "evaluate call to endorser returned error", `chaincode response 500, NOT_FOUND: participant "x" does not exist`)
	}
	r.peer.endorseFn = func(*gateway.EndorseRequest) error {
		return chaincodeError(codes.Aborted, "failed to endorse transaction", `chaincode response 500, FORBIDDEN: only the seller may`)
	}
	identity := chain.Identity{MSPID: "ShanghaiMSP", CertificatePEM: r.admin}
	signature := []byte("the member's signature")

	read, err := r.ledger.Propose(identity, "participants:Get", []string{"x"})
	require.NoError(t, err)
	_, err = read.Evaluate(context.Background(), signature)
	e := chain.AsError(err)
	assert.Equal(t, chain.KindRejected, e.Kind)
	assert.Equal(t, ledgererr.NotFound, e.Code)
	assert.Equal(t, read.TransactionID(), e.TransactionID)

	write, err := r.ledger.Propose(identity, "listings:Create", []string{"x"})
	require.NoError(t, err)
	_, err = write.Endorse(context.Background(), signature)
	e = chain.AsError(err)
	assert.Equal(t, chain.KindRejected, e.Kind)
	assert.Equal(t, ledgererr.Forbidden, e.Code)
	assert.Equal(t, write.TransactionID(), e.TransactionID)
	assert.Empty(t, r.peer.submitted, "nothing is sent for ordering")
}

// A transaction the member signed is sent for ordering as the gateway's own
// are: an orderer that surely did not take it is an ordering failure, one
// whose answer was lost an unknown outcome that keeps the endorsed result,
// which the member's commit-status request settles (the gateway waits for
// no commit of its own).
func TestSelfSignedOrderingFailsAsTheGatewaysOwnDoes(t *testing.T) {
	for _, c := range []struct {
		name  string
		err   error
		kind  chain.Kind
		words string
	}{
		{"not ordered", status.Error(codes.FailedPrecondition, "channel yrd-market not found"), chain.KindOrdering, "channel yrd-market not found"},
		{"answer lost", status.Error(codes.Unavailable, "insufficient number of orderers could successfully process transaction to satisfy quorum requirement"),
			chain.KindOutcomeUnknown, "send the same transaction signature again"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, fabric.Config{})
			r.peer.submitFn = func(*gateway.SubmitRequest) error { return c.err }
			signature := []byte("the member's signature")
			p, err := r.ledger.Propose(chain.Identity{MSPID: "ShanghaiMSP", CertificatePEM: r.admin}, "trades:Order", []string{"t1", "l1"})
			require.NoError(t, err)
			tx, err := p.Endorse(context.Background(), signature)
			require.NoError(t, err)
			_, err = tx.Submit(context.Background(), signature)
			e := chain.AsError(err)
			assert.Equal(t, c.kind, e.Kind)
			assert.Equal(t, p.TransactionID(), e.TransactionID)
			assert.Contains(t, e.Message, c.words)
			if c.kind == chain.KindOutcomeUnknown {
				assert.JSONEq(t, `{"id":"a1"}`, string(e.Result), "the endorsed result is kept for a later answer")
			}
			assert.Len(t, r.peer.submitted, 1)
			assert.Empty(t, r.peer.statusAsked, "the member asks for the commit status itself")
		})
	}
}
