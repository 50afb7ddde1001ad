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
	qscc := gw.GetNetwork(n.cfg.Channel).GetContract("qscc")
	for {
		proposal, err := qscc.NewProposal("GetChainInfo",
			client.WithArguments(n.cfg.Channel), client.WithEndorsingOrganizations(o.MSPID))
		if err != nil {
			return err
		}
		raw, err := proposal.EvaluateWithContext(ctx)
		if err != nil {
			return fmt.Errorf("reading the height of %s's peer: %w", o.Key, err)
		}
		var info common.BlockchainInfo
		if err := proto.Unmarshal(raw, &info); err != nil {
			return fmt.Errorf("decoding the height of %s's peer: %w", o.Key, err)
		}
		if info.GetHeight() > block {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s's peer to commit block %d: %w", o.Key, block, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
