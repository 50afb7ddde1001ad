//go:build e2e

package e2e

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"github.com/hyperledger/fabric-protos-go-apiv2/orderer"
	"github.com/hyperledger/fabric-protos-go-apiv2/peer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/deltaledger/deltaledger/network/demo"
)

// The channel's blocks hold everything its transactions wrote (who looked up
// whose credit records, every authorisation and trade) and the credit
// contract's events say who looked up whom: only an org's admin, peer and
// ordering node read them (each org's Readers policy). Every member of every
// role of two regions is refused on every path a Fabric client has to them,
// by the policy (not by some other failure), while the org's admin reads
// each, so the test draws the boundary rather than finding a broken network;
// and a member still submits and learns its transaction's commit status
// (the channel's gateway/CommitStatus ACL is its Writers), even though the
// block that holds its own transaction is not its to read.
func TestMembersReadNoBlock(t *testing.T) {
	for _, org := range []string{"jiangsu", "anhui"} {
		buyer := member(t, org, "buyer")
		_, st, err := buyer.SubmitStatus(callCtx(t), "market:GetRules", nil)
		require.NoError(t, err, "a member submits")
		require.True(t, st.Successful, "its commit status: %v", st.Code)
		require.Positive(t, st.BlockNumber)
		own := st.TransactionID

		for _, role := range []string{"operator", "holder", "buyer", "agency", "regulator", "Admin"} {
			m := member(t, org, role)
			reads := role == "Admin"
			t.Run(org+"/"+role, func(t *testing.T) {
				t.Run("peer deliver", func(t *testing.T) { assertDelivers(t, m, reads, peerDeliver) })
				t.Run("ordering service deliver", func(t *testing.T) { assertDelivers(t, m, reads, ordererDeliver) })
				t.Run("filtered blocks", func(t *testing.T) { assertDelivers(t, m, reads, filteredDeliver) })
				t.Run("chaincode events", func(t *testing.T) { assertChaincodeEvents(t, m, reads) })
				t.Run("qscc", func(t *testing.T) {
					for _, call := range [][]string{{"GetChainInfo"}, {"GetBlockByNumber", "0"}, {"GetBlockByTxID", own}, {"GetTransactionByID", own}} {
						args := append([]string{testNet.Config().Channel}, call[1:]...)
						_, err := m.Network().GetContract("qscc").EvaluateWithContext(callCtx(t), call[0], client.WithArguments(args...))
						if reads {
							assert.NoError(t, err, "qscc %s as the org's admin", call[0])
						} else {
							require.Error(t, err, "qscc %s as a member", call[0])
							assert.Contains(t, errorText(err), "access denied", "qscc %s", call[0])
							assert.Contains(t, errorText(err), "/Channel/Application/Readers", "qscc %s", call[0])
						}
					}
				})
			})
		}
	}
}

// deliverer opens one kind of deliver stream with a signed seek envelope and
// answers its first response.
type deliverer func(t *testing.T, m *demo.Member, envelope *common.Envelope) (block bool, st common.Status)

// assertDelivers asks for block 0 on one deliver path as m: the org's admin
// gets the block, a member a FORBIDDEN status and nothing else.
func assertDelivers(t *testing.T, m *demo.Member, reads bool, deliver deliverer) {
	t.Helper()
	request, err := m.Network().NewBlockEventsRequest(client.WithStartBlock(0))
	require.NoError(t, err)
	envelope := signedEnvelope(t, m, request)
	block, st := deliver(t, m, envelope)
	if reads {
		assert.True(t, block, "the org's admin reads block 0 (status %v)", st)
		return
	}
	assert.False(t, block, "a member read a block")
	assert.Equal(t, common.Status_FORBIDDEN, st, "refused by the channel's Readers policy")
}

// signableRequest is a fabric-gateway request built but not yet signed:
// its message and the digest its signature covers.
type signableRequest interface {
	Bytes() ([]byte, error)
	Digest() []byte
}

// signedEnvelope is the request's seek envelope signed by m, as
// fabric-gateway signs it (the digest of its payload).
func signedEnvelope(t *testing.T, m *demo.Member, request signableRequest) *common.Envelope {
	t.Helper()
	var envelope common.Envelope
	envelope.Signature = decodeAndSign(t, m, request, &envelope)
	return &envelope
}

// decodeAndSign decodes the request's message into msg and returns m's
// signature of the request's digest, which the caller sets on msg.
func decodeAndSign(t *testing.T, m *demo.Member, request signableRequest, msg proto.Message) []byte {
	t.Helper()
	raw, err := request.Bytes()
	require.NoError(t, err)
	require.NoError(t, proto.Unmarshal(raw, msg))
	_, sign, err := testNet.Identity(m.Org.Key, m.User)
	require.NoError(t, err)
	signature, err := sign(request.Digest())
	require.NoError(t, err)
	return signature
}

// deliverStream is a deliver stream of the peer or of an ordering node,
// whose responses are R.
type deliverStream[R any] interface {
	Send(*common.Envelope) error
	Recv() (R, error)
}

// firstResponse opens a stream, sends the seek envelope and returns the
// stream's first response.
func firstResponse[R any](t *testing.T, envelope *common.Envelope, open func(context.Context) (deliverStream[R], error)) R {
	t.Helper()
	ctx, cancel := context.WithTimeout(callCtx(t), 30*time.Second)
	defer cancel()
	stream, err := open(ctx)
	require.NoError(t, err)
	require.NoError(t, stream.Send(envelope))
	response, err := stream.Recv()
	require.NoError(t, err)
	return response
}

func peerDeliver(t *testing.T, m *demo.Member, envelope *common.Envelope) (bool, common.Status) {
	response := firstPeerResponse(t, m, envelope, peer.DeliverClient.Deliver)
	return response.GetBlock() != nil, response.GetStatus()
}

func filteredDeliver(t *testing.T, m *demo.Member, envelope *common.Envelope) (bool, common.Status) {
	response := firstPeerResponse(t, m, envelope, peer.DeliverClient.DeliverFiltered)
	return response.GetFilteredBlock() != nil, response.GetStatus()
}

// firstPeerResponse asks the member's region's peer through one of its
// deliver services (open: Deliver or DeliverFiltered, which answer alike and
// differ in what a block holds) and returns the first response.
func firstPeerResponse(t *testing.T, m *demo.Member, envelope *common.Envelope,
	open func(peer.DeliverClient, context.Context, ...grpc.CallOption) (peer.Deliver_DeliverClient, error)) *peer.DeliverResponse {
	t.Helper()
	conn, err := testNet.Conn(m.Org.Key)
	require.NoError(t, err)
	return firstResponse(t, envelope, func(ctx context.Context) (deliverStream[*peer.DeliverResponse], error) {
		return open(peer.NewDeliverClient(conn), ctx)
	})
}

// ordererDeliver asks the member's region's ordering node, which checks the
// channel's Readers itself (the peers' policies do not stand in front of it).
func ordererDeliver(t *testing.T, m *demo.Member, envelope *common.Envelope) (bool, common.Status) {
	cfg := testNet.Config()
	port := cfg.Values[strings.ToUpper(m.Org.Key)+"_ORDERER_PORT"]
	require.NotEmpty(t, port, "the ordering node's port in network.env")
	caPEM, err := os.ReadFile(cfg.TLSRootCertFile(m.Org))
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(caPEM))
	conn, err := grpc.NewClient(net.JoinHostPort(m.Org.Host, port), grpc.WithTransportCredentials(credentials.NewClientTLSFromCert(pool, "")))
	require.NoError(t, err)
	defer conn.Close()
	response := firstResponse(t, envelope, func(ctx context.Context) (deliverStream[*orderer.DeliverResponse], error) {
		return orderer.NewAtomicBroadcastClient(conn).Deliver(ctx)
	})
	return response.GetBlock() != nil, response.GetStatus()
}

// assertChaincodeEvents reads the market chaincode's events from block 0
// through the peer's gateway service as m: the org's admin gets the first
// one, a member PermissionDenied.
func assertChaincodeEvents(t *testing.T, m *demo.Member, reads bool) {
	t.Helper()
	request, err := m.Network().NewChaincodeEventsRequest(testNet.Config().Chaincode, client.WithStartBlock(0))
	require.NoError(t, err)
	var signed gateway.SignedChaincodeEventsRequest
	signed.Signature = decodeAndSign(t, m, request, &signed)

	conn, err := testNet.Conn(m.Org.Key)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(callCtx(t), 30*time.Second)
	defer cancel()
	stream, err := gateway.NewGatewayClient(conn).ChaincodeEvents(ctx, &signed)
	require.NoError(t, err)
	response, err := stream.Recv()
	if reads {
		require.NoError(t, err, "the org's admin reads the chaincode events")
		assert.NotEmpty(t, response.GetEvents())
		return
	}
	require.Error(t, err, "a member read chaincode events")
	assert.Equal(t, codes.PermissionDenied, status.Code(err), "%v", err)
}

// errorText is an error's message with the details fabric-gateway attaches
// (each peer's own message).
func errorText(err error) string {
	texts := []string{err.Error()}
	var e interface{ GRPCStatus() *status.Status }
	if errors.As(err, &e) {
		for _, d := range e.GRPCStatus().Details() {
			if detail, ok := d.(*gateway.ErrorDetail); ok {
				texts = append(texts, detail.GetMessage())
			}
		}
	}
	return strings.Join(texts, "\n")
}
