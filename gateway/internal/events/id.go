package events

import (
	"regexp"
	"strconv"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// An event's SSE ID is its position in the ledger: "<block>-<transaction
// ID>". Every DeltaLedger transaction emits at most one event, so the pair
// names one event; resuming after it (fabric-gateway's checkpoint: start at
// the block, skip up to and including the transaction) loses nothing and
// repeats nothing, across client reconnects and gateway restarts alike,
// since the position lives with the client.

var idForm = regexp.MustCompile(`^([0-9]{1,20})-([0-9a-f]{1,128})$`)

// ID returns the SSE ID of an event.
func ID(e *chain.Event) string {
	return strconv.FormatUint(e.BlockNumber, 10) + "-" + e.TransactionID
}

// ErrBadID is returned for an ID this API did not make.
var ErrBadID = ledgererr.Messagef(`must be an event id "<block>-<transaction id>" this stream sent`)

// ParseID returns the position just after the event with the given ID.
func ParseID(id string) (chain.Position, error) {
	m := idForm.FindStringSubmatch(id)
	if m == nil {
		return chain.Position{}, ErrBadID
	}
	block, err := strconv.ParseUint(m[1], 10, 64)
	if err != nil {
		return chain.Position{}, ErrBadID
	}
	return chain.Position{Block: block, AfterTransactionID: m[2], Set: true}, nil
}
