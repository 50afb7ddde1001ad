package channelmsp

import (
	"context"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// A failed call to the admin's peer or orderer reads in the catalogue's
// words by its gRPC status: in Chinese with no English of gRPC's left, in
// English with gRPC's own text after them.
func TestRPCFailuresAreInTheReadersLanguage(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := l.Addr().String()
	require.NoError(t, l.Close())
	conn, err := grpc.NewClient(closed, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	p := &Publisher{orderer: conn}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = p.broadcast(ctx, &common.Envelope{})
	require.Error(t, err)
	assert.Equal(t, "连接排序节点：该地址上没有服务在监听：它是否在运行？", ledgererr.ErrorIn(err, ledgererr.Chinese))
	assert.Regexp(t, `^connecting to the orderer: nothing listens there: is it running\? \(rpc error: code = Unavailable desc = .*connection refused`, err.Error())

	for _, c := range []struct {
		err error
		zh  string
	}{
		{status.Error(codes.Unavailable, `connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"`),
			"其 TLS 证书无法用 --fabric-cacert 核验"},
		{status.Error(codes.Unavailable, "the peer is draining"), "无法连接到它"},
		{status.Error(codes.DeadlineExceeded, "context deadline exceeded"), "它没有及时应答"},
		{status.Error(codes.PermissionDenied, "access denied"), "它拒绝了管理员的身份"},
		{status.Error(codes.Internal, "failed to evaluate transaction"), "调用失败，gRPC 状态为 Internal"},
	} {
		wrapped := ledgererr.Messagef("reading the configuration of channel %s from %s's peer: %v", "deltaledger", "JiangsuMSP", rpcError(c.err))
		zh := ledgererr.ErrorIn(wrapped, ledgererr.Chinese)
		assert.Equal(t, "从 JiangsuMSP 的节点读取通道 deltaledger 的配置："+c.zh, zh)
		assert.NotRegexp(t, regexp.MustCompile(`rpc error|desc|[a-z]{3,} [a-z]{3,}`), zh)
		assert.Contains(t, wrapped.Error(), c.err.Error(), "English keeps gRPC's text")
		assert.ErrorIs(t, wrapped, c.err)
	}
	plain := context.Canceled
	assert.Equal(t, plain, rpcError(plain), "not a gRPC status: as it is")
}
