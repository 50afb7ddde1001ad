package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	fabricclient "github.com/hyperledger/fabric-gateway/pkg/client"

	"github.com/deltaledger/deltaledger/client"
	"github.com/deltaledger/deltaledger/model"
	"github.com/deltaledger/deltaledger/network/demo"
)

// Names of the paths, the keys of the results.
const (
	PathLimit            = "limit"
	PathRegisterShape    = "register_shape"
	PathDirect           = "direct"
	PathREST             = "rest"
	PathRESTFour         = "rest_four"
	PathRESTDefaults     = "rest_defaults"
	PathTrades           = "trades"
	PathReadLimit        = "read_limit"
	PathReadDirect       = "read_direct"
	PathReadREST         = "read_rest"
	PathReadRESTDefaults = "read_rest_defaults"
	PathCatalogue        = "catalogue"
	PathCredit           = "credit"
	PathHolderAssets     = "holder_assets"
	PathMemberSigned     = "member_signed"
)

// TradeTransactions is the number of transactions of a complete trade:
// order, accept, payment, delivery, confirmation.
const TradeTransactions = 5

// pageSize is the page the list reads ask for.
const pageSize = 20

// role is the member the single-member paths act as.
const role = "holder"

// Paths returns every path of a full run, in the table's order. The paths
// that act as one member act as the first org's holder, through the first
// org's peer or gateway; member_signed acts as the members who sign for
// themselves that OnboardSelfSigners brought into the first org.
func (e *Env) Paths(fx *Fixture) []Path {
	home := e.orgs()[0]
	return []Path{
		{Name: PathLimit, Unit: "tx", Transactions: 1, Op: e.probePut(fx.Run, home),
			Description: "probe chaincode Put of one key through fabric-gateway (same channel, same endorsement policy): what the network commits at all"},
		{Name: PathRegisterShape, Unit: "tx", Transactions: 1, Op: e.probeRegister(fx.Run, home),
			Description: "probe chaincode Register through fabric-gateway: a registration's ledger work without the contract (two reads of keys that must not exist, three keys written, one under a key-level policy, the record as the answer, one event)"},
		{Name: PathDirect, Unit: "tx", Transactions: 1, Op: e.directApply(fx.Run, home),
			Description: "assets:Apply of a new asset through fabric-gateway"},
		{Name: PathREST, Unit: "tx", Transactions: 1, Op: e.restApply(fx.Run, GatewayUnlimited, []string{home}),
			Description: "POST /v1/assets through one region's REST gateway, rate limits out of the way"},
		{Name: PathRESTFour, Unit: "tx", Transactions: 1, Op: e.restApply(fx.Run, GatewayUnlimited, e.orgs()),
			Description: "POST /v1/assets spread over the four regions' REST gateways (each region's holder), rate limits out of the way"},
		{Name: PathRESTDefaults, Unit: "tx", Transactions: 1, Op: e.restApply(fx.Run, GatewayConfigured, []string{home}),
			Description: "POST /v1/assets through one region's REST gateway as make up runs it (its rate limits)"},
		{Name: PathMemberSigned, Unit: "tx", Transactions: 1, Op: e.memberSignedApply(fx),
			Description: "POST /v1/assets as rest, by members who sign for themselves: the SDK checks and signs the proposal, the endorsed transaction and the commit-status request (4 requests, 3 signatures)"},
		{Name: PathTrades, Unit: "trade", Transactions: TradeTransactions, Op: e.restTrade(fx),
			Description: "a complete trade through the parties' REST gateways: order, accept, payment, delivery, confirmation"},
		{Name: PathReadLimit, Unit: "read", Read: true, Op: e.probeGet(fx, home),
			Description: "probe chaincode Get of one key evaluated through fabric-gateway: what a peer answers a read at all"},
		{Name: PathReadDirect, Unit: "read", Read: true, Op: e.directGet(fx, home),
			Description: "assets:Get evaluated through fabric-gateway"},
		{Name: PathReadREST, Unit: "read", Read: true, Op: e.restGet(fx, GatewayUnlimited, home),
			Description: "GET /v1/assets/{id} through one REST gateway, rate limits out of the way"},
		{Name: PathReadRESTDefaults, Unit: "read", Read: true, Op: e.restGet(fx, GatewayConfigured, home),
			Description: "GET /v1/assets/{id} through one REST gateway as make up runs it (its rate limits)"},
		{Name: PathCatalogue, Unit: "page", Read: true, Op: e.restCatalogue(home),
			Description: "GET /v1/categories/{category}/listings, one page of 20, through one REST gateway"},
		{Name: PathCredit, Unit: "lookup", Read: true, Transactions: 1, Op: e.restCreditLookup(fx),
			Description: "a credit lookup with its committed trace through the reader's REST gateway (a submit, then the reader's own org's peer lists the records and the holding org's peer reads)"},
	}
}

// GrowthPaths are the paths a growth run measures at each ledger size: the
// limits (so that direct_vs_limit and read_direct_vs_limit at each size say
// what the ledger's size costs the market, whatever the load of the machine
// at that stage and whatever LevelDB's own growth costs every chaincode),
// register_shape (whose ratio to the limit says what the size costs the
// register's reads of absent keys and its writes, in LevelDB, and whose
// ratio to direct what it costs the contract), a registration and every
// read, plus the first page of the assets of a holder who owns a large part
// of the ledger.
func (e *Env) GrowthPaths(fx *Fixture) []Path {
	home := e.orgs()[0]
	var out []Path
	for _, p := range e.Paths(fx) {
		switch p.Name {
		case PathLimit, PathRegisterShape, PathDirect, PathReadLimit, PathReadDirect, PathReadREST, PathCatalogue, PathCredit:
			out = append(out, p)
		}
	}
	return append(out, Path{Name: PathHolderAssets, Unit: "page", Read: true, Op: e.restHolderAssets(home),
		Description: "GET /v1/participants/{holderId}/assets, one page of 20, of the holder the loader registered a quarter of the ledger for"})
}

// applyArgs are the arguments of assets:Apply for asset id from region.
func applyArgs(id, region string) []string {
	return []string{id, "Benchmark dataset " + id, Category, region, "Synthetic asset of the benchmark", demo.Hash(id)}
}

// submit submits fn of chaincode as role in org through fabric-gateway and
// waits for its commit status.
func (e *Env) submit(ctx context.Context, org, role, chaincode, fn string, args ...string) Outcome {
	gw, contract, err := e.contract(org, role, chaincode)
	if err != nil {
		return Outcome{Err: err}
	}
	proposal, err := contract.NewProposal(fn, fabricclient.WithArguments(args...))
	if err != nil {
		return Outcome{Err: err}
	}
	_, _, err = e.net.Submit(ctx, gw, proposal)
	return Outcome{TxIDs: []string{proposal.TransactionID()}, Err: err}
}

func (e *Env) probePut(run, org string) Op {
	chaincode := e.cfg.Values["PROBE_CHAINCODE_NAME"]
	return func(ctx context.Context, i int) Outcome {
		key := fmt.Sprintf("%s-p-%d", run, i)
		return e.submit(ctx, org, role, chaincode, "Put", key, demo.Hash(key))
	}
}

// probeRegister registers with the probe what directApply applies for:
// the record the contract would write, its event and its keys.
func (e *Env) probeRegister(run, org string) Op {
	chaincode := e.cfg.Values["PROBE_CHAINCODE_NAME"]
	holder := demo.ParticipantID(org, role)
	o, orgErr := e.cfg.Org(org)
	return func(ctx context.Context, i int) Outcome {
		if orgErr != nil {
			return Outcome{Err: orgErr}
		}
		id := fmt.Sprintf("%s-s-%d", run, i)
		args := applyArgs(id, org)
		at := time.Now().UTC().Format(time.RFC3339)
		record, err := json.Marshal(model.Asset{AssetDescription: model.AssetDescription{ID: id, Name: args[1], Category: args[2],
			SourceRegion: args[3], Description: args[4], ContentHash: args[5]}, Sources: []string{}, ApplicantID: holder, ExchangeRegion: org, HolderID: holder, HolderMSP: o.MSPID,
			Status: model.AssetPendingReview, AppliedAt: at, UpdatedAt: at, ApplicationTxID: demo.Hash(id)})
		if err != nil {
			return Outcome{Err: err}
		}
		event, err := json.Marshal(model.AssetEvent{AssetID: id, Status: model.AssetPendingReview, HolderID: holder})
		if err != nil {
			return Outcome{Err: err}
		}
		return e.submit(ctx, org, role, chaincode, "Register", id, args[5], holder, string(record), string(event))
	}
}

func (e *Env) directApply(run, org string) Op {
	return func(ctx context.Context, i int) Outcome {
		id := fmt.Sprintf("%s-d-%d", run, i)
		return e.submit(ctx, org, role, e.cfg.Chaincode, "assets:Apply", applyArgs(id, org)...)
	}
}

// restApply applies through gateway g of orgs[i % len(orgs)], as that org's
// holder.
func (e *Env) restApply(run string, g Gateway, orgs []string) Op {
	code := "r" + string(g[0])
	if len(orgs) > 1 {
		code += "4"
	}
	return func(ctx context.Context, i int) Outcome {
		org := orgs[i%len(orgs)]
		c, err := e.client(g, org, role)
		if err != nil {
			return Outcome{Err: err}
		}
		id := fmt.Sprintf("%s-%s-%d", run, code, i)
		args := applyArgs(id, org)
		res, err := c.Assets().Apply(ctx, client.ApplyRequest{ID: id, Name: args[1], Category: Category,
			SourceRegion: org, Description: args[4], ContentHash: args[5]})
		return submitted(res, err)
	}
}

// submitted is the outcome of a REST submit: its transaction, from the
// answer or from the error.
func submitted[T any](res *client.Submitted[T], err error) Outcome {
	out := Outcome{Err: err}
	if res != nil && res.TransactionID != "" {
		out.TxIDs = append(out.TxIDs, res.TransactionID)
	}
	var restErr *client.Error
	if errors.As(err, &restErr) && restErr.TransactionID != "" {
		out.TxIDs = append(out.TxIDs, restErr.TransactionID)
	}
	return out
}

// freeListing has the buyer cancel trade id, whose order or acceptance
// failed, so that the buyer's enterprise may order from the listing again
// (one ORDERED trade of an enterprise on a listing at a time): an order that
// committed though its client saw an error would otherwise refuse every
// later trade of the listing by that buyer. It is the failure's cost, not
// measured as a step; a trade that does not exist or was never ordered
// answers an error, which is ignored.
func freeListing(ctx context.Context, buyer *client.Client, id string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	_, _ = buyer.Trades().Cancel(ctx, id, "the benchmark's trade failed")
}

// tradeListings is how many listings of each org the trades path buys
// from, for inFlight trades at once: a buyer enterprise holds one ORDERED
// trade on a listing at a time (interface 14.0.0), and trade i buys as the
// same buyer from the same listing as trade i + 4*tradeListings only, which
// starts once 4*inFlight - 1 trades started after trade i did.
func tradeListings(inFlight int) int {
	return max(inFlight, 1)
}

// restTrade completes trade i: the buyer of the next org buys from a
// listing of org i % 4, the next of them for each round of the orgs (so
// that the trades running at once buy from different ones, tradeListings),
// each party through its own org's gateway (without rate limits). A submit answers once the submitter's peer committed it;
// before the other party acts through its own gateway, it waits for the
// transaction there (GET /v1/transactions/{txid}), as any client of two
// regions must, so that its peer has seen the step it answers. The two
// parties share a session of the trade's own (X-Min-Block: the other's
// gateway waits until its peer has the block of the step), since a gateway
// whose peer has not yet seen a transaction answers that it knows none.
func (e *Env) restTrade(fx *Fixture) Op {
	orgs := e.orgs()
	return func(ctx context.Context, i int) Outcome {
		sellerOrg, buyerOrg := orgs[i%len(orgs)], orgs[(i+1)%len(orgs)]
		listings := fx.Listings[sellerOrg]
		listing := listings[(i/len(orgs))%len(listings)]
		seller, err := e.client(GatewayUnlimited, sellerOrg, "holder")
		if err != nil {
			return Outcome{Err: err}
		}
		buyer, err := e.client(GatewayUnlimited, buyerOrg, "buyer")
		if err != nil {
			return Outcome{Err: err}
		}
		trade := client.NewSession()
		seller, buyer = seller.InSession(trade), buyer.InSession(trade)
		id := fmt.Sprintf("%s-t-%d", fx.Run, i)
		steps := []struct {
			party *client.Client
			run   func(c *client.Client) (*client.Submitted[model.Trade], error)
		}{
			{buyer, func(c *client.Client) (*client.Submitted[model.Trade], error) {
				return c.Trades().Order(ctx, client.OrderRequest{TradeID: id, ListingID: listing})
			}},
			{seller, func(c *client.Client) (*client.Submitted[model.Trade], error) { return c.Trades().Accept(ctx, id) }},
			{buyer, func(c *client.Client) (*client.Submitted[model.Trade], error) {
				return c.Trades().Pay(ctx, id, client.PaymentRequest{SettlementRef: "BENCH-" + id, AmountFen: tradePriceFen})
			}},
			{seller, func(c *client.Client) (*client.Submitted[model.Trade], error) {
				return c.Trades().Deliver(ctx, id, demo.Hash("delivery of "+id))
			}},
			{buyer, func(c *client.Client) (*client.Submitted[model.Trade], error) { return c.Trades().Confirm(ctx, id) }},
		}
		var out Outcome
		for k, st := range steps {
			if k > 0 {
				if _, err := st.party.Transactions().Wait(ctx, out.TxIDs[len(out.TxIDs)-1]); err != nil {
					out.Err = err
					return out
				}
			}
			o := submitted(st.run(st.party))
			out.TxIDs = append(out.TxIDs, o.TxIDs...)
			if o.Err != nil {
				out.Err = o.Err
				if k <= 1 {
					freeListing(ctx, buyer, id)
				}
				return out
			}
		}
		return out
	}
}
