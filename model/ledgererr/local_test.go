package ledgererr_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// Go's reports of failed files and connections, as the HTTP client and the
// os package wrap them, are written by the catalogue in Chinese, naming the
// file or server; any other error is no local failure; English keeps Go's
// text.
func TestLocalFailuresAreWrittenInTheReadersLanguage(t *testing.T) {
	dial := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://gw.example:27180/v1/participants/me",
			Err: &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 27180}, Err: os.NewSyscallError("connect", err)}}
	}
	path := func(err error) error {
		return fmt.Errorf("hashing data.csv: %w", &fs.PathError{Op: "open", Path: "/data/data.csv", Err: err})
	}
	for err, zh := range map[error]string{
		dial(syscall.ECONNREFUSED): "gw.example:27180 上没有服务在监听：服务器是否在运行？",
		dial(syscall.EHOSTUNREACH): "从本机无法连接 gw.example:27180",
		dial(syscall.ECONNRESET):   "gw.example:27180 关闭了连接",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: io.ErrUnexpectedEOF}:                                            "gw.example:1 关闭了连接",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: context.DeadlineExceeded}:                                       "gw.example:1 未能及时应答",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: &net.DNSError{Name: "gw.example", IsNotFound: true}}:            "无法解析主机名 gw.example",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: x509.UnknownAuthorityError{}}:                                   "gw.example:1：其 TLS 证书不是由本客户端信任的 CA 签发的",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: x509.HostnameError{Host: "10.0.0.1"}}:                           "gw.example:1：其 TLS 证书对主机名 10.0.0.1 无效",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: x509.CertificateInvalidError{Reason: x509.Expired}}:             "gw.example:1：其 TLS 证书已过期或尚未生效",
		&url.Error{Op: "Get", URL: "https://gw.example:1/", Err: x509.CertificateInvalidError{Reason: x509.NotAuthorizedToSign}}: "gw.example:1：其 TLS 证书无效",
		x509.UnknownAuthorityError{}: "服务器：其 TLS 证书不是由本客户端信任的 CA 签发的",
		path(fs.ErrNotExist):         "/data/data.csv 不存在",
		path(syscall.EACCES):         "/data/data.csv：没有访问权限",
		path(syscall.EISDIR):         "/data/data.csv 是目录，不是文件",
		path(syscall.ENOTDIR):        "/data/data.csv：路径中有一部分不是目录",
		path(syscall.ENOSPC):         "/data/data.csv：设备上没有剩余空间",
		path(syscall.EIO):            fmt.Sprintf("/data/data.csv：系统调用 open 失败（errno %d）", int(syscall.EIO)),
		context.Canceled:             "请求已取消",
	} {
		assert.Equal(t, zh, ledgererr.ErrorIn(err, ledgererr.Chinese), "%v", err)
		assert.Equal(t, err.Error(), ledgererr.ErrorIn(err, ledgererr.English))
		assert.NotNil(t, ledgererr.Local(err), "%v", err)
	}
	other := errors.New("something else")
	assert.Nil(t, ledgererr.Local(other))
	assert.Equal(t, "something else", ledgererr.ErrorIn(other, ledgererr.Chinese))
}
