package channelmsp

import (
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// rpcFailure is a failed gRPC call to the admin's peer or orderer in the
// catalogue's words, by its gRPC status, so that it reads in the reader's
// language. The status text (gRPC's or Fabric's, in English) follows in
// English only.
type rpcFailure struct {
	said  *ledgererr.Message
	cause error
}

// rpcError is err, a gRPC status, as an rpcFailure; any other error as it is.
func rpcError(err error) error {
	st, ok := status.FromError(err)
	if !ok || st.Code() == codes.OK {
		return err
	}
	desc := st.Message()
	var said *ledgererr.Message
	switch st.Code() {
	case codes.Unavailable:
		switch {
		case strings.Contains(desc, "certificate"), strings.Contains(desc, "x509"), strings.Contains(desc, "tls:"):
			said = ledgererr.Messagef("its TLS certificate does not verify against --fabric-cacert")
		case strings.Contains(desc, "connection refused"):
			said = ledgererr.Messagef("nothing listens there: is it running?")
		default:
			said = ledgererr.Messagef("it cannot be reached")
		}
	case codes.DeadlineExceeded:
		said = ledgererr.Messagef("it did not answer in time")
	case codes.Canceled:
		said = ledgererr.Messagef("the request was canceled")
	case codes.PermissionDenied, codes.Unauthenticated:
		said = ledgererr.Messagef("it refused the admin's identity")
	default:
		said = ledgererr.Messagef("it failed the call with gRPC status %s", st.Code().String())
	}
	return &rpcFailure{said, err}
}

func (f *rpcFailure) Error() string { return f.said.Error() + " (" + f.cause.Error() + ")" }

// In writes the failure in lang: in English with gRPC's text, in another
// language in the catalogue's words only.
func (f *rpcFailure) In(lang ledgererr.Language) string {
	if lang == ledgererr.English {
		return f.Error()
	}
	return f.said.In(lang)
}

// Unwrap returns the gRPC error.
func (f *rpcFailure) Unwrap() error { return f.cause }
