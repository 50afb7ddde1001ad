package fabric

import (
	"context"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
)

// checkpoint is a fixed client.Checkpoint: the position a stream resumes
// from.
type checkpoint struct {
	block uint64
	txID  string
}

func (c checkpoint) BlockNumber() uint64   { return c.block }
func (c checkpoint) TransactionID() string { return c.txID }

// Events implements chain.Ledger with the gateway's chaincode event
// service, signed by Reader. Resuming uses fabric-gateway's
// checkpointing: the stream starts at the block and skips the events of
// that block up to and including the given transaction.
func (l *Ledger) Events(ctx context.Context, from chain.Position) (<-chan *chain.Event, error) {
	gw, err := l.channelReader()
	if err != nil {
		return nil, err
	}
	var options []client.ChaincodeEventsOption
	switch {
	case from.AfterTransactionID != "":
		options = append(options, client.WithCheckpoint(checkpoint{block: from.Block, txID: from.AfterTransactionID}))
	case from.Set:
		options = append(options, client.WithStartBlock(from.Block))
	}
	in, err := gw.GetNetwork(l.cfg.Channel).ChaincodeEvents(ctx, l.cfg.Chaincode, options...)
	if err != nil {
		return nil, classify(err, "", chain.KindUnavailable)
	}
	out := make(chan *chain.Event)
	go func() {
		defer close(out)
		for e := range in {
			select {
			case out <- &chain.Event{BlockNumber: e.BlockNumber, TransactionID: e.TransactionID, Name: e.EventName, Payload: e.Payload}:
			case <-ctx.Done():
				// Drain so fabric-gateway's goroutine can end with the
				// canceled stream.
				for range in {
				}
				return
			}
		}
	}()
	return out, nil
}
