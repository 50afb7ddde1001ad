package fabric

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// classify turns a failed gRPC call into a ledger error: a chaincode refusal
// keeps its code and field; anything else is classified by its gRPC code,
// with the detail each peer or orderer gave kept in the message.
func classify(err error, txID string, otherwise chain.Kind) *chain.Error {
	msg := message(err)
	if e := refusal(err, txID); e != nil {
		e.Cause = err
		return e
	}
	kind := otherwise
	switch status.Code(err) {
	case codes.Unavailable:
		kind = chain.KindUnavailable
	case codes.DeadlineExceeded:
		kind = chain.KindTimeout
	case codes.Canceled:
		if errors.Is(err, context.Canceled) {
			return &chain.Error{Kind: chain.KindInternal, TransactionID: txID, Message: "canceled", Cause: context.Canceled}
		}
	}
	return &chain.Error{Kind: kind, TransactionID: txID, Message: msg, Cause: err}
}

// refusal finds a chaincode refusal in the gRPC status's message or in one
// peer's detail. Each is parsed on its own, so that the refusal's message is
// the chaincode's alone: joined, the text of one peer's refusal would run on
// into the next peer's address, MSP ID and repeated refusal.
func refusal(err error, txID string) *chain.Error {
	st, ok := status.FromError(err)
	if !ok {
		return chain.FromChaincode(err.Error(), txID)
	}
	if e := chain.FromChaincode(st.Message(), txID); e != nil {
		return e
	}
	for _, d := range detailsOf(err) {
		if e := chain.FromChaincode(d.GetMessage(), txID); e != nil {
			return e
		}
	}
	return nil
}

// message is the error text with each ErrorDetail (address, MSP, message)
// of the gRPC status, which is where Fabric puts the peers' and orderers'
// own reasons.
func message(err error) string {
	st, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	var b strings.Builder
	b.WriteString(st.Message())
	for _, d := range detailsOf(err) {
		b.WriteString("; ")
		if d.GetMspId() != "" {
			b.WriteString(d.GetMspId())
			b.WriteString(" ")
		}
		if d.GetAddress() != "" {
			b.WriteString(d.GetAddress())
		}
		b.WriteString(": ")
		b.WriteString(d.GetMessage())
	}
	return b.String()
}
