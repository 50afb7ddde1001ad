package credit

import (
	"encoding/json"
	"testing"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A new key needs only the chaincode-level policy (any two orgs), so the
// subject's and the bank's orgs, running chaincode of their own, can store
// a copy of a real record under a record ID of their choosing. The copy is
// no record of that ID: the subject raises no objection against it, and
// nobody reads it.
func TestACopyOfARecordUnderAnotherIDIsNoRecord(t *testing.T) {
	f := newFixture(t)
	real := f.publish(f.agency, "R1", usccSubject)
	b, err := json.Marshal(real)
	require.NoError(t, err)
	f.net.InvokeFunc(f.cas[mspJiangsu].Issue("admin.forger", "admin"), chaincodetest.Call{PeerMSP: mspJiangsu, Endorsers: []string{mspJiangsu, mspZhejiang}},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			return nil, stub.PutState(recordKey("R-copy"), b)
		}).MustOK(t)

	f.mustRefuse(refusal{code: ledgererr.NotFound, text: `"R-copy" does not exist`}, func() chaincodetest.Result {
		return f.submit(f.subject, "RaiseObjection", "O1", "R-copy", "we paid on time")
	})
	for _, who := range []chaincodetest.Identity{f.subject, f.regulator} {
		r := f.evaluate(who, "GetRecord", "R-copy")
		require.Error(t, r.Err)
		assert.Contains(t, r.Err.Error(), string(ledgererr.NotFound))
	}
	assert.Equal(t, real.Status, f.getRecord("R1").Status)
}
