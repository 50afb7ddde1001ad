package fabric_test

import (
	"context"
	"testing"

	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"

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
