package ledgererr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// Local is the catalogue's message for a failure of this machine or of its
// connection to a server, as Go's standard library reports it: a file that
// cannot be opened, a server certificate that does not verify, a server
// that does not speak TLS, an unknown host, a refused or broken connection,
// a timeout. It names the file or server and what is wrong; Go's own text
// (English, and naming system calls) is the error's Error. It is nil for any
// other error.
func Local(err error) *Message {
	server := serverOf(err)
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var notTLS tls.RecordHeaderError
	var alert tls.AlertError
	var dns *net.DNSError
	var path *fs.PathError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return Messagef("the request was canceled")
	case errors.As(err, &unknownAuthority):
		return Messagef("%s: its TLS certificate is not issued by a CA this client trusts", server)
	case errors.As(err, &hostname):
		return Messagef("%s: its TLS certificate is not valid for the host name %s", server, hostname.Host)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return Messagef("%s: its TLS certificate has expired or is not valid yet", server)
	case errors.As(err, &invalid):
		return Messagef("%s: its TLS certificate is not valid", server)
	case errors.As(err, &notTLS), strings.HasSuffix(err.Error(), errHTTPAnswer):
		return Messagef("%s does not answer with TLS (is it an http:// server?)", server)
	case errors.As(err, &alert):
		return Messagef("%s ended the TLS handshake with alert %d (it does not accept this client's certificate, or none was given)", server, uint8(alert))
	case errors.As(err, &dns):
		return Messagef("the host name %s cannot be resolved", dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return Messagef("nothing listens at %s: is the server running?", server)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return Messagef("%s cannot be reached from this machine", server)
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return Messagef("%s did not answer in time", server)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return Messagef("%s closed the connection", server)
	case errors.As(err, &path):
		return fileFailure(path)
	}
	return nil
}

// errHTTPAnswer is how net/http's client reports an https:// URL answered by
// a plain HTTP server (it replaces tls.RecordHeaderError with an error of no
// type of its own).
const errHTTPAnswer = "http: server gave HTTP response to HTTPS client"

// fileFailure is the catalogue's message for a file operation that failed.
func fileFailure(p *fs.PathError) *Message {
	var errno syscall.Errno
	switch {
	case errors.Is(p.Err, fs.ErrNotExist):
		return Messagef("%s does not exist", p.Path)
	case errors.Is(p.Err, fs.ErrPermission):
		return Messagef("%s: permission denied", p.Path)
	case errors.Is(p.Err, syscall.EISDIR):
		return Messagef("%s is a folder, not a file", p.Path)
	case errors.Is(p.Err, syscall.ENOTDIR):
		return Messagef("%s: a part of the path is not a folder", p.Path)
	case errors.Is(p.Err, syscall.ENOSPC):
		return Messagef("%s: no space left on the device", p.Path)
	case errors.As(p.Err, &errno):
		return Messagef("%s: the system call %s failed (errno %d)", p.Path, p.Op, int(errno))
	}
	return Messagef("%s: the system call %s failed", p.Path, p.Op)
}

// serverOf is the server a failed connection was to: the URL's host, the
// dialled address, or a word for it.
func serverOf(err error) any {
	var u *url.Error
	if errors.As(err, &u) {
		if parsed, perr := url.Parse(u.URL); perr == nil && parsed.Host != "" {
			return parsed.Host
		}
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Addr != nil {
		return op.Addr.String()
	}
	return Messagef("the server")
}
