package chaincodetest_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/hyperledger/fabric-chaincode-go/v2/shim"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/chaincode/internal/chaincodetest"
)

func TestNoReadYourOwnWrites(t *testing.T) {
	net, client := kvNetwork()
	net.Submit(client, "put", "k", "committed").MustOK(t)

	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		require.NoError(t, stub.PutState("k", []byte("pending")))
		require.NoError(t, stub.PutState("new", []byte("pending")))

		value, err := stub.GetState("k")
		require.NoError(t, err)
		assert.Equal(t, "committed", string(value), "GetState must not see the transaction's own write")

		value, err = stub.GetState("new")
		require.NoError(t, err)
		assert.Nil(t, value, "a key written in this transaction does not exist yet")

		values, err := stub.GetMultipleStates("k", "new")
		require.NoError(t, err)
		assert.Equal(t, [][]byte{[]byte("committed"), nil}, values)
		values, err = stub.GetMultipleStates()
		require.NoError(t, err)
		assert.Nil(t, values)

		it, err := stub.GetStateByRange("", "")
		require.NoError(t, err)
		assert.Equal(t, []string{"k"}, keysOf(t, it), "queries must not see the transaction's own writes")
		return nil
	}).MustOK(t)

	assert.Equal(t, "pending", string(net.Ledger().State("k")))
	assert.Equal(t, "pending", string(net.Ledger().State("new")))
}

func TestWrites(t *testing.T) {
	client := chaincodetest.NewCA("Org1MSP").Issue("alice", "client")

	tests := []struct {
		name  string
		setup []string // key value pairs committed first
		body  func(stub shim.ChaincodeStubInterface) error
		want  map[string]string // committed state afterwards; absent keys must not exist
	}{
		{
			name: "last write to a key wins",
			body: func(stub shim.ChaincodeStubInterface) error {
				require.NoError(t, stub.PutState("k", []byte("first")))
				return stub.PutState("k", []byte("second"))
			},
			want: map[string]string{"k": "second"},
		},
		{
			name:  "put then delete deletes",
			setup: []string{"k", "v"},
			body: func(stub shim.ChaincodeStubInterface) error {
				require.NoError(t, stub.PutState("k", []byte("x")))
				return stub.DelState("k")
			},
			want: map[string]string{},
		},
		{
			name:  "an empty value is a delete, as on the peer",
			setup: []string{"k", "v"},
			body: func(stub shim.ChaincodeStubInterface) error {
				return stub.PutState("k", []byte{})
			},
			want: map[string]string{},
		},
		{
			name: "deleting a missing key is not an error",
			body: func(stub shim.ChaincodeStubInterface) error {
				return stub.DelState("missing")
			},
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := chaincodetest.NewNetwork(kvChaincode())
			if len(tt.setup) > 0 {
				net.Submit(client, "put", tt.setup...).MustOK(t)
			}
			net.SubmitFunc(client, tt.body).MustOK(t)
			got := map[string]string{}
			for _, key := range net.Ledger().StateKeys() {
				got[key] = string(net.Ledger().State(key))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestStubValidation(t *testing.T) {
	net, client := kvNetwork(chaincodetest.WithCollection("coll", "Org1MSP"))

	tests := []struct {
		name    string
		call    func(stub shim.ChaincodeStubInterface) error
		wantErr string
	}{
		{"PutState with an empty key", func(s shim.ChaincodeStubInterface) error { return s.PutState("", []byte("v")) }, "key must not be an empty string"},
		{"PutPrivateData with an empty key", func(s shim.ChaincodeStubInterface) error { return s.PutPrivateData("coll", "", []byte("v")) }, "key must not be an empty string"},
		{"PutPrivateData with an empty collection", func(s shim.ChaincodeStubInterface) error { return s.PutPrivateData("", "k", []byte("v")) }, "collection must not be an empty string"},
		{"GetPrivateData with an empty collection", func(s shim.ChaincodeStubInterface) error { _, err := s.GetPrivateData("", "k"); return err }, "collection must not be an empty string"},
		{"DelPrivateData with an empty collection", func(s shim.ChaincodeStubInterface) error { return s.DelPrivateData("", "k") }, "collection must not be an empty string"},
		{"PurgePrivateData with an empty collection", func(s shim.ChaincodeStubInterface) error { return s.PurgePrivateData("", "k") }, "collection must not be an empty string"},
		{"GetPrivateDataHash with an empty collection", func(s shim.ChaincodeStubInterface) error { _, err := s.GetPrivateDataHash("", "k"); return err }, "collection must not be an empty string"},
		{"GetMultiplePrivateData with an empty collection", func(s shim.ChaincodeStubInterface) error { _, err := s.GetMultiplePrivateData("", "k"); return err }, "collection must not be an empty string"},
		{"GetPrivateDataByRange with an empty collection", func(s shim.ChaincodeStubInterface) error { _, err := s.GetPrivateDataByRange("", "", ""); return err }, "collection must not be an empty string"},
		{"GetPrivateDataByPartialCompositeKey with an empty collection", func(s shim.ChaincodeStubInterface) error {
			_, err := s.GetPrivateDataByPartialCompositeKey("", "t", nil)
			return err
		}, "collection must not be an empty string"},
		{"GetPrivateDataQueryResult with an empty collection", func(s shim.ChaincodeStubInterface) error { _, err := s.GetPrivateDataQueryResult("", "{}"); return err }, "collection must not be an empty string"},
		{"private range start in the composite key namespace", func(s shim.ChaincodeStubInterface) error {
			_, err := s.GetPrivateDataByRange("coll", "\x00a", "")
			return err
		}, "contains a null character"},
		{"paginated range end in the composite key namespace", func(s shim.ChaincodeStubInterface) error {
			_, _, err := s.GetStateByRangeWithPagination("", "\x00z", 1, "")
			return err
		}, "contains a null character"},
		{"paginated partial composite key query with a bad attribute", func(s shim.ChaincodeStubInterface) error {
			_, _, err := s.GetStateByPartialCompositeKeyWithPagination("t", []string{"\x00"}, 1, "")
			return err
		}, "U+0000"},
		{"SetEvent with an empty name", func(s shim.ChaincodeStubInterface) error { return s.SetEvent("", nil) }, "event name can not be empty string"},
		{"range start in the composite key namespace", func(s shim.ChaincodeStubInterface) error { _, err := s.GetStateByRange("\x00a", ""); return err }, "contains a null character"},
		{"range end in the composite key namespace", func(s shim.ChaincodeStubInterface) error { _, err := s.GetStateByRange("", "\x00z"); return err }, "contains a null character"},
		{"rich query", func(s shim.ChaincodeStubInterface) error { _, err := s.GetQueryResult(`{"selector":{}}`); return err }, "ExecuteQuery not supported for leveldb"},
		{"paginated rich query", func(s shim.ChaincodeStubInterface) error {
			_, _, err := s.GetQueryResultWithPagination(`{"selector":{}}`, 10, "")
			return err
		}, "ExecuteQueryWithMetadata not supported for leveldb"},
		{"private rich query", func(s shim.ChaincodeStubInterface) error {
			_, err := s.GetPrivateDataQueryResult("coll", `{}`)
			return err
		}, "ExecuteQuery not supported for leveldb"},
		{"chaincode to chaincode", func(s shim.ChaincodeStubInterface) error {
			resp := s.InvokeChaincode("other", nil, "")
			require.EqualValues(t, shim.ERROR, resp.Status)
			return &stringError{resp.Message}
		}, "not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net.SubmitFunc(client, tt.call).MustFail(t, tt.wantErr)
		})
	}
}

type stringError struct{ s string }

func (e *stringError) Error() string { return e.s }

func TestPeerErrorsReadLikeThePeers(t *testing.T) {
	net, client := kvNetwork()

	r := net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		_, err := stub.GetQueryResult("{}")
		return err
	})
	r.MustFail(t, "GET_QUERY_RESULT failed: transaction ID: "+r.TxID+": ExecuteQuery not supported for leveldb")
}

func TestStubRefusesAccessAfterTheTransaction(t *testing.T) {
	net, client := kvNetwork()

	var leaked shim.ChaincodeStubInterface
	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		leaked = stub
		return nil
	}).MustOK(t)

	_, err := leaked.GetState("k")
	assert.ErrorContains(t, err, "no ledger context")
	assert.ErrorContains(t, leaked.PutState("k", []byte("v")), "no ledger context")
	assert.Empty(t, net.Ledger().StateKeys())
}

func TestProposalGetters(t *testing.T) {
	ca := chaincodetest.NewCA("Org1MSP")
	client := ca.Issue("alice", "client")
	start := time.Date(2026, time.May, 4, 10, 30, 0, 0, time.UTC)
	net := chaincodetest.NewNetwork(kvChaincode(), chaincodetest.WithChannel("market"), chaincodetest.WithStartTime(start))
	net.Submit(client, "put", "k", "v").MustOK(t) // the first transaction takes start

	transient := map[string][]byte{"secret": []byte("s3cr3t")}
	r := net.InvokeFunc(client, chaincodetest.Call{Function: "Transfer", Args: []string{"a1", "bob"}, Transient: transient},
		func(stub shim.ChaincodeStubInterface) ([]byte, error) {
			assert.Equal(t, "market", stub.GetChannelID())
			assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{64}$`), stub.GetTxID())

			fn, params := stub.GetFunctionAndParameters()
			assert.Equal(t, "Transfer", fn)
			assert.Equal(t, []string{"a1", "bob"}, params)
			assert.Equal(t, []string{"Transfer", "a1", "bob"}, stub.GetStringArgs())
			assert.Equal(t, [][]byte{[]byte("Transfer"), []byte("a1"), []byte("bob")}, stub.GetArgs())
			slice, err := stub.GetArgsSlice()
			require.NoError(t, err)
			assert.Equal(t, "Transfera1bob", string(slice))

			ts, err := stub.GetTxTimestamp()
			require.NoError(t, err)
			assert.Equal(t, start.Add(time.Second), ts.AsTime(), "each proposal moves the clock on by a second")

			got, err := stub.GetTransient()
			require.NoError(t, err)
			assert.Equal(t, transient, got)

			creator, err := stub.GetCreator()
			require.NoError(t, err)
			assert.Equal(t, client.Serialized(), creator)

			// The signed proposal is consistent with the other getters.
			sp, err := stub.GetSignedProposal()
			require.NoError(t, err)
			prop := &peer.Proposal{}
			require.NoError(t, proto.Unmarshal(sp.ProposalBytes, prop))
			header := &common.Header{}
			require.NoError(t, proto.Unmarshal(prop.Header, header))
			channelHeader := &common.ChannelHeader{}
			require.NoError(t, proto.Unmarshal(header.ChannelHeader, channelHeader))
			assert.Equal(t, stub.GetTxID(), channelHeader.TxId)
			assert.Equal(t, "market", channelHeader.ChannelId)
			assert.True(t, proto.Equal(ts, channelHeader.Timestamp))
			signatureHeader := &common.SignatureHeader{}
			require.NoError(t, proto.Unmarshal(header.SignatureHeader, signatureHeader))
			assert.Equal(t, creator, signatureHeader.Creator)
			payload := &peer.ChaincodeProposalPayload{}
			require.NoError(t, proto.Unmarshal(prop.Payload, payload))
			assert.Equal(t, transient, payload.TransientMap)

			binding, err := stub.GetBinding()
			require.NoError(t, err)
			assert.Len(t, binding, 32)
			assert.Nil(t, stub.GetDecorations())

			stub.StartWriteBatch()
			assert.NoError(t, stub.FinishWriteBatch())
			return []byte(stub.GetTxID()), nil
		})
	r.MustOK(t)
	assert.Equal(t, r.TxID, string(r.Payload))

	// Without transient data, GetTransient returns nil as the shim does.
	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		got, err := stub.GetTransient()
		assert.Nil(t, got)
		return err
	}).MustOK(t)
}

func TestSplitCompositeKeyOfASimpleKey(t *testing.T) {
	net, client := kvNetwork()
	net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		_, _, err := stub.SplitCompositeKey("simple")
		assert.ErrorContains(t, err, "not a composite key")
		return nil
	}).MustOK(t)
}

// Result.Requests lists what the chaincode asked of the peer, one entry per
// message, so that a test can count the round trips a function costs.
func TestRequestsAreRecorded(t *testing.T) {
	net, client := kvNetwork()
	r := net.SubmitFunc(client, func(stub shim.ChaincodeStubInterface) error {
		if _, err := stub.GetState("a"); err != nil {
			return err
		}
		if _, err := stub.GetMultipleStates("b", "c", "d"); err != nil {
			return err
		}
		if _, err := stub.GetMultipleStates(); err != nil { // nothing to ask
			return err
		}
		return stub.PutState("a", []byte("1"))
	})
	r.MustOK(t)
	assert.Equal(t, []string{"GET_STATE", "GET_STATE_MULTIPLE", "PUT_STATE"}, r.Requests)

	r = net.Evaluate(client, "get", "a")
	r.MustOK(t)
	assert.Equal(t, []string{"GET_STATE"}, r.Requests)
}
