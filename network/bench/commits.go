package bench

import (
	"context"
	"fmt"

	fabricclient "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// commitReader reads the validation codes of committed transactions from the
// blocks themselves, as one org's admin sees them through its peer.
type commitReader struct {
	net     *fabricnet.Network
	org     string
	gateway *fabricclient.Gateway
}

func newCommitReader(net *fabricnet.Network, org string) (*commitReader, error) {
	gw, err := net.Gateway(org, "Admin")
	if err != nil {
		return nil, err
	}
	return &commitReader{net: net, org: org, gateway: gw}, nil
}

func (c *commitReader) Close() error { return c.gateway.Close() }

// height returns the highest height of the channel among the orgs' peers:
// every transaction any peer has committed is in a block below it.
func (c *commitReader) height(ctx context.Context) (uint64, error) {
	var highest uint64
	for _, o := range c.net.Config().Orgs {
		h, err := c.net.Height(ctx, o.Key)
		if err != nil {
			return 0, err
		}
		highest = max(highest, h)
	}
	return highest, nil
}

// codes returns the validation code of every transaction in the blocks from
// (inclusive) to the blocks' height now (exclusive), by transaction ID.
func (c *commitReader) codes(ctx context.Context, from uint64) (map[string]string, error) {
	to, err := c.height(ctx)
	if err != nil {
		return nil, err
	}
	codes := map[string]string{}
	if to <= from {
		return codes, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	blocks, err := c.gateway.GetNetwork(c.net.Config().Channel).FilteredBlockEvents(ctx, fabricclient.WithStartBlock(from))
	if err != nil {
		return nil, err
	}
	for b := range blocks {
		for _, tx := range b.GetFilteredTransactions() {
			codes[tx.GetTxid()] = tx.GetTxValidationCode().String()
		}
		if b.GetNumber()+1 >= to {
			return codes, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("the block stream of %s's peer ended before block %d", c.org, to-1)
}
