// Package commitstatus resolves the outcome of a Fabric transaction whose
// submission failed in a way that does not prove it was never ordered.
//
// With BFT ordering under load a peer can answer a submit with "insufficient
// number of orderers could successfully process transaction to satisfy
// quorum requirement" although the orderers had ordered it ("request already
// processed"; Fabric issue 4415). Such a transaction must not be reported as
// failed, nor resubmitted: its commit status by transaction ID tells. The
// gateway and the programs that drive the local network share this package.
package commitstatus

import (
	"context"
	"errors"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/msp"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// DefinitelyNotOrdered reports whether a submit error proves that the
// transaction never reached the ordering service: the peer refused the
// request before broadcasting it. Every other failure (Unavailable, as for
// the BFT quorum error; DeadlineExceeded; Aborted) may hide an ordered
// transaction.
func DefinitelyNotOrdered(err error) bool {
	var submitErr *client.SubmitError
	if !errors.As(err, &submitErr) {
		return false
	}
	switch status.Code(err) {
	case codes.InvalidArgument, codes.FailedPrecondition, codes.NotFound, codes.PermissionDenied, codes.Unauthenticated:
		return true
	}
	return false
}

// Request builds the serialized commit status request of any transaction of
// the channel, for gw's identity. fabric-gateway makes one only for a
// transaction whose submission succeeded; client.Gateway.NewCommit accepts
// this form, signs it and reads the status.
func Request(gw *client.Gateway, channel, txID string) ([]byte, error) {
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

// Wait waits, until ctx ends, for the commit status of the transaction txID
// of the channel, as read by gw's peer.
func Wait(ctx context.Context, gw *client.Gateway, channel, txID string) (*client.Status, error) {
	req, err := Request(gw, channel, txID)
	if err != nil {
		return nil, err
	}
	commit, err := gw.NewCommit(req)
	if err != nil {
		return nil, err
	}
	return commit.StatusWithContext(ctx)
}
