package bench

import (
	"context"
	"errors"
	"fmt"

	fabricclient "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/network/demo"
)

// probeGet evaluates the probe chaincode's Get of the fixture's probe keys in
// turn through org's peer: the same evaluate as directGet without the
// market's contract.
func (e *Env) probeGet(fx *Fixture, org string) Op {
	chaincode := e.cfg.Values["PROBE_CHAINCODE_NAME"]
	return func(ctx context.Context, i int) Outcome {
		_, contract, err := e.contract(org, role, chaincode)
		if err != nil {
			return Outcome{Err: err}
		}
		_, err = contract.EvaluateWithContext(ctx, "Get", fabricclient.WithArguments(fx.ProbeKeys[i%len(fx.ProbeKeys)]))
		return Outcome{Err: err}
	}
}

// directGet evaluates assets:Get of the fixture's assets in turn through
// org's peer.
func (e *Env) directGet(fx *Fixture, org string) Op {
	return func(ctx context.Context, i int) Outcome {
		_, contract, err := e.contract(org, role, e.cfg.Chaincode)
		if err != nil {
			return Outcome{Err: err}
		}
		_, err = contract.EvaluateWithContext(ctx, "assets:Get", fabricclient.WithArguments(fx.Assets[i%len(fx.Assets)]))
		return Outcome{Err: err}
	}
}

// restGet reads the fixture's assets in turn through gateway g of org.
func (e *Env) restGet(fx *Fixture, g Gateway, org string) Op {
	return func(ctx context.Context, i int) Outcome {
		c, err := e.client(g, org, role)
		if err != nil {
			return Outcome{Err: err}
		}
		_, err = c.Assets().Get(ctx, fx.Assets[i%len(fx.Assets)])
		return Outcome{Err: err}
	}
}

// firstPage reads one page of a list and fails when it is empty.
func firstPage[T any](seq func(func(T, error) bool)) error {
	n := 0
	for _, err := range seq {
		if err != nil {
			return err
		}
		if n++; n == pageSize {
			break
		}
	}
	if n == 0 {
		return errors.New("the page is empty")
	}
	return nil
}

// restCatalogue reads the first page of the benchmark's category of
// listings through org's gateway without rate limits, as org's buyer.
func (e *Env) restCatalogue(org string) Op {
	return func(ctx context.Context, i int) Outcome {
		c, err := e.client(GatewayUnlimited, org, "buyer")
		if err != nil {
			return Outcome{Err: err}
		}
		return Outcome{Err: firstPage(c.Listings().ByCategory(ctx, Category, client.PageSize(pageSize)))}
	}
}

// restHolderAssets reads the first page of the assets of org's holder.
func (e *Env) restHolderAssets(org string) Op {
	return func(ctx context.Context, i int) Outcome {
		c, err := e.client(GatewayUnlimited, org, role)
		if err != nil {
			return Outcome{Err: err}
		}
		return Outcome{Err: firstPage(c.Assets().ByHolder(ctx, demo.ParticipantID(org, role), client.PageSize(pageSize)))}
	}
}

// restCreditLookup looks the fixture's credit record up as its authorised
// reader, through the reader's gateway without rate limits: a committed
// trace, then the reader's own org's peer lists the records and the holding
// org's peer reads the contents.
func (e *Env) restCreditLookup(fx *Fixture) Op {
	return func(ctx context.Context, i int) Outcome {
		c, err := e.client(GatewayUnlimited, fx.Credit.ReaderOrg, fx.Credit.ReaderRole)
		if err != nil {
			return Outcome{Err: err}
		}
		res, err := c.Credit().Lookup(ctx, fx.Credit.Subject, client.LookupRequest{Purpose: fx.Credit.Purpose, AuthorizationID: fx.Credit.AuthID})
		var incomplete *client.IncompleteLookupError
		if err != nil && !errors.As(err, &incomplete) {
			return Outcome{Err: err}
		}
		if incomplete != nil || len(res.Records) == 0 {
			// The trace committed, but the lookup failed at what it is for.
			return Outcome{Err: fmt.Errorf("%w: lookup %s answered %d records, complete %t", errIncomplete, res.Trace.TraceID, len(res.Records), res.Complete)}
		}
		return Outcome{TxIDs: []string{res.TransactionID}}
	}
}

// errIncomplete marks a credit lookup that did not return every record's
// verified contents.
var errIncomplete = errors.New("incomplete lookup")
