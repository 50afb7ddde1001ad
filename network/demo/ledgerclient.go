// Package demo drives the running network as its members would: it registers
// the demo participants of every region and seeds a small living market. The
// demo seeder (scripts/seed-demo.sh) and the end-to-end tests share it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hyperledger/fabric-gateway/pkg/client"
	"github.com/hyperledger/fabric-protos-go-apiv2/gateway"
	"google.golang.org/grpc/status"

	"github.com/deltaledger/deltaledger/model/ledgererr"
	"github.com/deltaledger/deltaledger/network/fabricnet"
)

// Member is one identity of one org, ready to call the chaincode.
type Member struct {
	Org      fabricnet.Org
	User     string // user name ("User2") or role, as fabricnet takes it
	net      *fabricnet.Network
	gateway  *client.Gateway
	network  *client.Network
	contract *client.Contract
}

// Connect opens a Gateway for user (a role of identities.env, "UserN" or
// "Admin") of org ("shanghai" or "ShanghaiMSP").
func Connect(net *fabricnet.Network, org, user string) (*Member, error) {
	var found *fabricnet.Org
	for _, o := range net.Config().Orgs {
		if o.Key == org || o.MSPID == org {
			o := o
			found = &o
		}
	}
	if found == nil {
		return nil, fmt.Errorf("no org %q in network.env", org)
	}
	gw, err := net.Gateway(org, user)
	if err != nil {
		return nil, err
	}
	channel := gw.GetNetwork(net.Config().Channel)
	return &Member{Org: *found, User: user, net: net, gateway: gw, network: channel, contract: net.Contract(gw)}, nil
}

// Close ends the member's Gateway.
func (m *Member) Close() error { return m.gateway.Close() }

// Contract is the chaincode as this member sees it.
func (m *Member) Contract() *client.Contract { return m.contract }

// Network is the channel as this member sees it (blocks, events).
func (m *Member) Network() *client.Network { return m.network }

// CallOption adjusts one call.
type CallOption = client.ProposalOption

// Transient passes private inputs as transient data.
func Transient(key string, value []byte) CallOption {
	return client.WithTransient(map[string][]byte{key: value})
}

// EndorsingOrgs names the orgs whose peers must endorse (or, for an
// evaluation, answer).
func EndorsingOrgs(mspIDs ...string) CallOption {
	return client.WithEndorsingOrganizations(mspIDs...)
}

// Submit endorses, orders and commits a transaction and returns its result
// once every org's peer has committed it, so that any member's next read,
// through any org, sees it.
func (m *Member) Submit(ctx context.Context, function string, args []string, opts ...CallOption) ([]byte, error) {
	result, st, err := m.SubmitStatus(ctx, function, args, opts...)
	if err != nil {
		return nil, err
	}
	if !st.Successful {
		return nil, fmt.Errorf("transaction %s committed as invalid: %s", st.TransactionID, st.Code)
	}
	if err := m.net.WaitForBlock(ctx, st.BlockNumber); err != nil {
		return nil, err
	}
	return result, nil
}

// SubmitStatus submits a transaction and returns its result and commit
// status, valid or not (fabricnet.Network.Submit).
func (m *Member) SubmitStatus(ctx context.Context, function string, args []string, opts ...CallOption) ([]byte, *client.Status, error) {
	opts = append([]CallOption{client.WithArguments(args...)}, opts...)
	proposal, err := m.contract.NewProposal(function, opts...)
	if err != nil {
		return nil, nil, err
	}
	return m.net.Submit(ctx, m.gateway, proposal)
}

// Evaluate runs a query on a peer and returns its result.
func (m *Member) Evaluate(ctx context.Context, function string, args []string, opts ...CallOption) ([]byte, error) {
	opts = append([]CallOption{client.WithArguments(args...)}, opts...)
	proposal, err := m.contract.NewProposal(function, opts...)
	if err != nil {
		return nil, err
	}
	return proposal.EvaluateWithContext(ctx)
}

// CodeOf finds the chaincode's error code in a fabric-gateway error: the
// chaincode's message travels in the gRPC status details of each peer.
func CodeOf(err error) (*ledgererr.Error, bool) {
	if err == nil {
		return nil, false
	}
	texts := []string{err.Error()}
	if st, ok := status.FromError(errors.Unwrap(err)); ok {
		texts = append(texts, st.Message())
		for _, d := range st.Details() {
			if ed, ok := d.(*gateway.ErrorDetail); ok {
				texts = append(texts, ed.GetMessage())
			}
		}
	}
	if st, ok := status.FromError(err); ok {
		for _, d := range st.Details() {
			if ed, ok := d.(*gateway.ErrorDetail); ok {
				texts = append(texts, ed.GetMessage())
			}
		}
	}
	return ledgererr.Parse(strings.Join(texts, "\n"))
}
