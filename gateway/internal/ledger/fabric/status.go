package fabric

import (
	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// commitStatusRequest builds the serialized commit status request of any
// transaction, for gw's identity. fabric-gateway makes one only for a
// transaction it submitted; client.Gateway.NewCommit accepts this form, signs
// it and reads the status, which is what resolving an unknown ordering
// outcome and GET /v1/transactions/{txid} need.
func commitStatusRequest(gw *client.Gateway, channel, txID string) ([]byte, error) {
	id := gw.Identity()
	creator, err := proto.Marshal(&msp.SerializedIdentity{Mspid: id.MspID(), IdBytes: id.Credentials()})
	if err != nil {
		return nil, err
	}
	request, err := proto.Marshal(&gateway.CommitStatusRequest{ChannelId: channel, TransactionId: txID, Identity: creator})
	if err != nil {
		return nil, err
	}
	return proto.Marshal(&gateway.SignedCommitStatusRequest{Request: request})
}

// detailsOf returns the ErrorDetail messages of a gRPC status error.
func detailsOf(err error) []*gateway.ErrorDetail {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	var out []*gateway.ErrorDetail
	for _, d := range st.Details() {
		if ed, ok := d.(*gateway.ErrorDetail); ok {
			out = append(out, ed)
		}
	}
	return out
}
