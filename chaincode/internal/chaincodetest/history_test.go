package chaincodetest_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

func TestHistoryIsNewestFirst(t *testing.T) {
	client := chaincodetest.NewCA("Org1MSP").Issue("alice", "client")
	start := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	net := chaincodetest.NewNetwork(kvChaincode(), chaincodetest.WithStartTime(start))

	r1 := net.Submit(client, "put", "k", "v1").MustOK(t)
	net.Submit(client, "put", "other", "x").MustOK(t)
	net.Advance(time.Hour)
	r2 := net.Submit(client, "put", "k", "v2").MustOK(t)
	net.Submit(client, "fail", "k", "never").MustFail(t, "refusing")
	net.Evaluate(client, "put", "k", "never").MustOK(t)
	r3 := net.Submit(client, "del", "k").MustOK(t)
	r4 := net.Submit(client, "put", "k", "v3").MustOK(t)
	net.Submit(client, "requireOrgs", "k", "Org1MSP").MustOK(t) // metadata writes are not history

	type entry struct {
		txID     string
		ts       time.Time
		value    string
		isDelete bool
	}
	want := []entry{
		{r4.TxID, start.Add(time.Hour + 6*time.Second), "v3", false},
		{r3.TxID, start.Add(time.Hour + 5*time.Second), "", true},
		{r2.TxID, start.Add(time.Hour + 2*time.Second), "v2", false},
		{r1.TxID, start, "v1", false},
	}

	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		it, err := stub.GetHistoryForKey("k")
		require.NoError(t, err)
		defer it.Close()
		var got []entry
		for it.HasNext() {
			m, err := it.Next()
			require.NoError(t, err)
			got = append(got, entry{m.TxId, m.Timestamp.AsTime(), string(m.Value), m.IsDelete})
			if m.IsDelete {
				assert.Nil(t, m.Value)
			}
		}
		assert.Equal(t, want, got)
		return nil
	}).MustOK(t)

	history := net.Ledger().History("k")
	require.Len(t, history, len(want))
	for i, h := range history {
		assert.Equal(t, want[i], entry{h.TxID, h.Timestamp, string(h.Value), h.IsDelete})
	}
	assert.Empty(t, net.Ledger().History("missing"))
}
