package fabric

import (
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/status"
)

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
