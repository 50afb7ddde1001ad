package fabricnet

import (
	"context"
	"fmt"
	"time"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/common"
	"google.golang.org/protobuf/proto"
)

// WaitForBlock waits until the peer of every org has committed block number
// block. A submit returns once the submitting org's peer has committed the
// transaction; the other peers follow a few milliseconds later, so a read
// through another org right after a submit may not see it yet. Tests and
// the demo seeder wait here after each submit to read consistently.
func (n *Network) WaitForBlock(ctx context.Context, block uint64) error {
	for _, o := range n.cfg.Orgs {
		if err := n.waitForOrgBlock(ctx, o, block); err != nil {
			return err
		}
	}
	return nil
}

func (n *Network) waitForOrgBlock(ctx context.Context, o Org, block uint64) error {
	gw, err := n.Gateway(o.Key, "Admin")
	if err != nil {
		return err
	}
	defer gw.Close()
	for {
		height, err := n.height(ctx, gw, o)
		if err != nil {
			return err
		}
		if height > block {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s's peer to commit block %d: %w", o.Key, block, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Height returns the height of the channel on org's peer: the number of blocks it has committed.
func (n *Network) Height(ctx context.Context, org string) (uint64, error) {
	o, err := n.cfg.Org(org)
	if err != nil {
		return 0, err
	}
	gw, err := n.Gateway(o.Key, "Admin")
	if err != nil {
		return 0, err
	}
	defer gw.Close()
	return n.height(ctx, gw, o)
}

// height asks org o's peer for its height through gw (qscc GetChainInfo).
func (n *Network) height(ctx context.Context, gw *client.Gateway, o Org) (uint64, error) {
	proposal, err := gw.GetNetwork(n.cfg.Channel).GetContract("qscc").NewProposal("GetChainInfo",
		client.WithArguments(n.cfg.Channel), client.WithEndorsingOrganizations(o.MSPID))
	if err != nil {
		return 0, err
	}
	raw, err := proposal.EvaluateWithContext(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the height of %s's peer: %w", o.Key, err)
	}
	var info common.BlockchainInfo
	if err := proto.Unmarshal(raw, &info); err != nil {
		return 0, fmt.Errorf("decoding the height of %s's peer: %w", o.Key, err)
	}
	return info.GetHeight(), nil
}
