package fabricnet

import (
	"context"
	"fmt"

	"github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/internal/commitstatus"
)

// Submit endorses the proposal through gw, sends it for ordering and waits
// for its commit status. A submit error that does not prove the transaction
// was never ordered (with BFT ordering under load, Fabric issue 4415) is
// resolved through the commit status by transaction ID, so a transaction
// that committed is never reported as failed.
func (n *Network) Submit(ctx context.Context, gw *client.Gateway, proposal *client.Proposal) ([]byte, *client.Status, error) {
	tx, err := proposal.EndorseWithContext(ctx)
	if err != nil {
		return nil, nil, err
	}
	commit, submitErr := tx.SubmitWithContext(ctx)
	var st *client.Status
	switch {
	case submitErr == nil:
		st, err = commit.StatusWithContext(ctx)
	case commitstatus.DefinitelyNotOrdered(submitErr):
		return nil, nil, submitErr
	default:
		st, err = commitstatus.Wait(ctx, gw, n.cfg.Channel, tx.TransactionID())
		if err != nil {
			err = fmt.Errorf("ordering of %s failed with an unknown outcome (%v), and its commit status could not be read: %w", tx.TransactionID(), submitErr, err)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	return tx.Result(), st, nil
}
