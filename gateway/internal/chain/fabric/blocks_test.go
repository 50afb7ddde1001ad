package fabric_test

import (
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/ledger/rwset/kvrwset"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/deltaledger/deltaledger/gateway/internal/chain/fabric"
)

// endorserTx is the envelope of a valid endorser transaction by txID that
// invoked chaincode and wrote key in its namespace.
func endorserTx(t *testing.T, txID, chaincode, key string, at time.Time) []byte {
	t.Helper()
	m := func(msg proto.Message) []byte {
		b, err := proto.Marshal(msg)
		require.NoError(t, err)
		return b
	}
	results := m(&rwset.TxReadWriteSet{NsRwset: []*rwset.NsReadWriteSet{{
		Namespace: chaincode, Rwset: m(&kvrwset.KVRWSet{Writes: []*kvrwset.KVWrite{{Key: key, Value: []byte("v")}}}),
	}}})
	action := m(&peer.ChaincodeAction{ChaincodeId: &peer.ChaincodeID{Name: chaincode}, Results: results})
	body := m(&peer.Transaction{Actions: []*peer.TransactionAction{{Payload: m(&peer.ChaincodeActionPayload{
		Action: &peer.ChaincodeEndorsedAction{ProposalResponsePayload: m(&peer.ProposalResponsePayload{Extension: action})},
	})}}})
	header := &common.Header{
		ChannelHeader: m(&common.ChannelHeader{
			Type: int32(common.HeaderType_ENDORSER_TRANSACTION), TxId: txID, Timestamp: timestamppb.New(at),
		}),
		SignatureHeader: m(&common.SignatureHeader{Creator: m(&msp.SerializedIdentity{Mspid: "ShanghaiMSP", IdBytes: []byte("certificate of " + txID)})}),
	}
	return m(&common.Envelope{Payload: m(&common.Payload{Header: header, Data: body})})
}

// A transaction of another chaincode (a lifecycle transaction, say) is
// marked OtherChaincode and brings no writes: the index takes neither its
// records nor its time.
func TestParseBlockMarksTransactionsOfAnotherChaincode(t *testing.T) {
	at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	b := &common.Block{
		Header: &common.BlockHeader{Number: 7},
		Data: &common.BlockData{Data: [][]byte{
			endorserTx(t, "t1", "deltaledger", "k1", at),
			endorserTx(t, "t2", "_lifecycle", "k2", at.Add(48*time.Hour)),
		}},
		Metadata: &common.BlockMetadata{Metadata: [][]byte{{}, {}, {byte(peer.TxValidationCode_VALID), byte(peer.TxValidationCode_VALID)}}},
	}
	parsed, err := fabric.ParseBlock(b, "deltaledger")
	require.NoError(t, err)
	require.Len(t, parsed.Transactions, 2)
	ours, other := parsed.Transactions[0], parsed.Transactions[1]
	assert.False(t, ours.OtherChaincode)
	assert.Equal(t, "ShanghaiMSP", ours.CreatorMSP)
	assert.Equal(t, "certificate of t1", string(ours.Creator), "the creator's certificate, which names who sent the transaction")
	assert.Equal(t, "k1", ours.Writes[0].Key)
	assert.True(t, other.OtherChaincode)
	assert.Empty(t, other.Writes)
	assert.True(t, other.Valid())
}
