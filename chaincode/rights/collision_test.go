package rights_test

import (
	"strings"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-contract-api-go/v2/contractapi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/chaincode/internal/registertest"
	"github.com/deltaledger/deltaledger/chaincode/rights"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A right's ID is the first 20 characters of the transaction ID that issued
// it (80 bits), and a client chooses the nonce its transaction ID is the
// hash of: a seller can search out two transactions whose IDs begin alike
// (some 2^40 hashes) and issue a second right under the ID of the first.
// Here the holder sells a licence, which only the exchange may revoke (a
// seller confirms a sale itself once the buyer's inspection lapsed), and
// then grants under the same right ID: the grant must not replace the
// buyer's licence.
func TestARightIDIsNeverIssuedTwice(t *testing.T) {
	f := withAsset(t)
	first := strings.Repeat("ab", 10) + strings.Repeat("0", 44)
	second := strings.Repeat("ab", 10) + strings.Repeat("1", 44)

	var sold *model.Right
	f.Net.InvokeFunc(f.Holder, chaincodetest.Call{TxID: first}, func(stub shim.ChaincodeStubInterface) ([]byte, error) {
		ctx := &contractapi.TransactionContext{}
		ctx.SetStub(stub)
		now := registertest.TxNow(t, ctx)
		var err error
		sold, err = rights.Convey(ctx, registertest.Participant(t, ctx, "sh.holder"), registertest.Participant(t, ctx, "zj.user"),
			"a1", model.RightUse, registertest.ParseScope(t, registertest.ScopeNarrow, now), "trade-1", now)
		return nil, err
	}).MustOK(t)
	require.NotNil(t, sold)

	before := f.Snapshot()
	r := f.Net.Invoke(f.Holder, chaincodetest.Call{TxID: second, Function: "rights:Grant",
		Args: []string{"a1", "js.user", model.RightUse, registertest.ScopeWide}})
	refusal := registertest.RequireCode(t, r, ledgererr.Conflict, "")
	assert.Contains(t, refusal.Error(), sold.ID)
	assert.Equal(t, before, f.Snapshot(), "a refused call must write nothing")
	assert.Equal(t, sold, f.StoredRight(t, sold.ID), "the buyer's licence is as it was sold")
}
