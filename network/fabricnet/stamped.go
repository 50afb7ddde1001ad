package fabricnet

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	gatewaypb "github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// ProposalStampedAt builds and signs a proposal of the DeltaLedger chaincode
// as user of org, stamped at stamp rather than now. A proposal's timestamp
// is its client's to choose, and any Fabric client may build one by hand
// like this: it is for the tests of what the peers, the chaincode and the
// ledger index make of a chosen timestamp. It returns the signed proposal
// and its transaction ID (the hex SHA-256 of nonce and creator, as Fabric
// checks).
func (n *Network) ProposalStampedAt(org, user string, stamp time.Time, function string, args ...string) (*peer.SignedProposal, string, error) {
	id, sign, err := n.Identity(org, user)
	if err != nil {
		return nil, "", err
	}
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: id.MspID(), IdBytes: id.Credentials()})
	if err != nil {
		return nil, "", err
	}
	nonce := make([]byte, 24)
	if _, err := rand.Read(nonce); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(append(append([]byte{}, nonce...), creator...))
	txID := hex.EncodeToString(sum[:])

	chaincodeID := &peer.ChaincodeID{Name: n.cfg.Chaincode}
	input := [][]byte{[]byte(function)}
	for _, a := range args {
		input = append(input, []byte(a))
	}
	extension, err := proto.Marshal(&peer.ChaincodeHeaderExtension{ChaincodeId: chaincodeID})
	if err != nil {
		return nil, "", err
	}
	channelHeader, err := proto.Marshal(&common.ChannelHeader{
		Type: int32(common.HeaderType_ENDORSER_TRANSACTION), ChannelId: n.cfg.Channel, TxId: txID,
		Timestamp: timestamppb.New(stamp), Extension: extension,
	})
	if err != nil {
		return nil, "", err
	}
	signatureHeader, err := proto.Marshal(&common.SignatureHeader{Creator: creator, Nonce: nonce})
	if err != nil {
		return nil, "", err
	}
	header, err := proto.Marshal(&common.Header{ChannelHeader: channelHeader, SignatureHeader: signatureHeader})
	if err != nil {
		return nil, "", err
	}
	invocation, err := proto.Marshal(&peer.ChaincodeInvocationSpec{
		ChaincodeSpec: &peer.ChaincodeSpec{ChaincodeId: chaincodeID, Input: &peer.ChaincodeInput{Args: input}},
	})
	if err != nil {
		return nil, "", err
	}
	payload, err := proto.Marshal(&peer.ChaincodeProposalPayload{Input: invocation})
	if err != nil {
		return nil, "", err
	}
	proposal, err := proto.Marshal(&peer.Proposal{Header: header, Payload: payload})
	if err != nil {
		return nil, "", err
	}
	digest := sha256.Sum256(proposal)
	signature, err := sign(digest[:])
	if err != nil {
		return nil, "", err
	}
	return &peer.SignedProposal{ProposalBytes: proposal, Signature: signature}, txID, nil
}

// SubmitStampedAt submits a transaction of the DeltaLedger chaincode as user
// of org, stamped at stamp (ProposalStampedAt), and waits until it commits.
// A transaction that commits invalid is an error naming its validation
// code.
func (n *Network) SubmitStampedAt(ctx context.Context, org, user string, stamp time.Time, function string, args ...string) (*client.Status, error) {
	signed, txID, err := n.ProposalStampedAt(org, user, stamp, function, args...)
	if err != nil {
		return nil, err
	}
	gw, err := n.Gateway(org, user)
	if err != nil {
		return nil, err
	}
	defer gw.Close()
	proposed, err := proto.Marshal(&gatewaypb.ProposedTransaction{TransactionId: txID, Proposal: signed})
	if err != nil {
		return nil, err
	}
	proposal, err := gw.NewSignedProposal(proposed, signed.Signature)
	if err != nil {
		return nil, err
	}
	_, status, err := n.Submit(ctx, gw, proposal)
	if err != nil {
		return nil, err
	}
	if !status.Successful {
		return status, fmt.Errorf("transaction %s stamped %s committed invalid: %s", txID, stamp.Format(time.RFC3339), status.Code)
	}
	return status, nil
}
