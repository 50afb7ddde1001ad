//go:build e2e

package e2e

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/deltaledger/deltaledger/model"
)

// TestPeersRefuseATimestampTheClientChose sends signed proposals straight to
// a peer's Gateway service, built by hand as any Fabric client may build
// them, with the timestamp set to a time of the client's choosing. The peer
// evaluates and endorses a proposal stamped now, and refuses one stamped
// more than model.MaxClockSkew before or after its clock with
// INVALID_ARGUMENT naming txTimestamp. A day off, the peer itself refuses
// it before any chaincode runs (peer.authentication.timewindow, 15 minutes
// in this network's core.yaml): the chaincode's bound is the tighter one.
func TestPeersRefuseATimestampTheClientChose(t *testing.T) {
	const org, user = "shanghai", "Admin"
	conn, err := testNet.Conn(org)
	require.NoError(t, err)
	gw := gatewaypb.NewGatewayClient(conn)
	cfg := testNet.Config()

	call := func(stamp time.Time, endorse bool) error {
		signed, txID := stampedProposal(t, org, user, stamp, "market:GetRules")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if endorse {
			_, err := gw.Endorse(ctx, &gatewaypb.EndorseRequest{TransactionId: txID, ChannelId: cfg.Channel, ProposedTransaction: signed})
			return err
		}
		_, err := gw.Evaluate(ctx, &gatewaypb.EvaluateRequest{TransactionId: txID, ChannelId: cfg.Channel, ProposedTransaction: signed})
		return err
	}
	for _, endorse := range []bool{false, true} {
		require.NoError(t, call(time.Now(), endorse), "a proposal stamped now (endorse %v)", endorse)
		for _, skew := range []time.Duration{-model.MaxClockSkew - time.Minute, model.MaxClockSkew + time.Minute} {
			err := call(time.Now().Add(skew), endorse)
			require.Error(t, err, "a proposal stamped %s off (endorse %v) was accepted", skew, endorse)
			assert.Contains(t, gatewayMessages(err), "INVALID_ARGUMENT: txTimestamp: must be within "+model.MaxClockSkew.String(), "stamped %s off (endorse %v)", skew, endorse)
		}
		err := call(time.Now().Add(-24*time.Hour), endorse)
		require.Error(t, err, "a proposal stamped a day ago (endorse %v) was accepted", endorse)
		assert.Contains(t, gatewayMessages(err), "incorrect timestamp", "the peer's own time window")
	}
}

// stampedProposal builds and signs a proposal of the DeltaLedger chaincode
// as user of org, with the timestamp stamp, and returns it with its
// transaction ID (the hex SHA-256 of nonce and creator, as Fabric checks).
func stampedProposal(t *testing.T, org, user string, stamp time.Time, function string, args ...string) (*peer.SignedProposal, string) {
	t.Helper()
	cfg := testNet.Config()
	id, sign, err := testNet.Identity(org, user)
	require.NoError(t, err)
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: id.MspID(), IdBytes: id.Credentials()})
	require.NoError(t, err)
	nonce := make([]byte, 24)
	_, err = rand.Read(nonce)
	require.NoError(t, err)
	sum := sha256.Sum256(append(append([]byte{}, nonce...), creator...))
	txID := hex.EncodeToString(sum[:])

	chaincodeID := &peer.ChaincodeID{Name: cfg.Chaincode}
	input := [][]byte{[]byte(function)}
	for _, a := range args {
		input = append(input, []byte(a))
	}
	header := &common.Header{
		ChannelHeader: marshal(t, &common.ChannelHeader{
			Type:      int32(common.HeaderType_ENDORSER_TRANSACTION),
			ChannelId: cfg.Channel,
			TxId:      txID,
			Timestamp: timestamppb.New(stamp),
			Extension: marshal(t, &peer.ChaincodeHeaderExtension{ChaincodeId: chaincodeID}),
		}),
		SignatureHeader: marshal(t, &common.SignatureHeader{Creator: creator, Nonce: nonce}),
	}
	payload := &peer.ChaincodeProposalPayload{Input: marshal(t, &peer.ChaincodeInvocationSpec{
		ChaincodeSpec: &peer.ChaincodeSpec{ChaincodeId: chaincodeID, Input: &peer.ChaincodeInput{Args: input}},
	})}
	proposalBytes := marshal(t, &peer.Proposal{Header: marshal(t, header), Payload: marshal(t, payload)})
	digest := sha256.Sum256(proposalBytes)
	signature, err := sign(digest[:])
	require.NoError(t, err)
	return &peer.SignedProposal{ProposalBytes: proposalBytes, Signature: signature}, txID
}

func marshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	require.NoError(t, err)
	return b
}

// gatewayMessages is the error's text and the messages of the peers'
// error details, where the Gateway service puts the chaincode's refusal.
func gatewayMessages(err error) string {
	msgs := []string{err.Error()}
	for _, d := range status.Convert(err).Details() {
		if detail, ok := d.(*gatewaypb.ErrorDetail); ok {
			msgs = append(msgs, fmt.Sprintf("%s (%s): %s", detail.Address, detail.MspId, detail.Message))
		}
	}
	return strings.Join(msgs, "\n")
}
