package transactions

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/deltaledger/deltaledger/gateway/internal/chain"
	"github.com/deltaledger/deltaledger/model"
)

// Orgs names the orgs whose peers alone run a call; the zero value leaves
// the peers to Fabric's endorsement plan.
type Orgs struct {
	// Own runs the call on the gateway organisation's peers alone: private
	// input reaches no other org, and private data is read where it is
	// held.
	Own bool
	// Terms, when set, runs the call on the peers of the buyer's and the
	// seller's orgs of a trade alone (one org when both are in one): the
	// call carries that trade's private terms, which no third org may
	// receive.
	Terms *TermsOf
	// Named runs the call on the peers of these orgs alone, as the caller
	// named them (a publication of the indices, endorsed by orgs that
	// attested its digest).
	Named []string
}

// TermsOf is the round of a trade whose private terms a call carries.
type TermsOf struct {
	TradeID string
	Round   int
	// ListingID is the listing the trade is on: required for round 1,
	// which opens the trade; empty or the trade's for a later round.
	ListingID string
	// Named are the two orgs as the caller named them, the gateway's own
	// among them (checked by package api): a member who signs its own
	// calls, for whom the gateway cannot evaluate trades:TermsOrgs.
	// Nothing is read then; a wrong org named receives the caller's own
	// terms only, and the pair's collection's endorsement policy fails
	// the staging.
	Named []string
}

// errNoOwnOrg refuses a call on the gateway's org when it has none set, so
// that a call meant for one org is never left to Fabric's plan.
var errNoOwnOrg = &chain.Error{Kind: chain.KindInternal, Message: "the gateway's organisation is not configured: a call that must stay on the parties' orgs is not sent"}

// Endorsers returns the orgs whose peers alone run c, in the order the
// parties are named (each once): the gateway's org, or a trade's buyer's
// and seller's orgs, which it asks the chaincode for on the gateway's own
// peers as the caller (trades:TermsOrgs), unless the caller named them, or
// the orgs the caller named. None leaves the peers to Fabric's plan.
func (m *manager) Endorsers(ctx context.Context, c Call) ([]string, error) {
	switch {
	case c.Orgs.Terms != nil:
		return m.termsParties(ctx, c.Member, *c.Orgs.Terms)
	case c.Orgs.Own && m.mspID != "":
		return []string{m.mspID}, nil
	case len(c.Orgs.Named) > 0:
		return c.Orgs.Named, nil
	}
	return nil, nil
}

// termsParties learns the buyer's and the seller's orgs of a round of a
// trade: it evaluates trades:TermsOrgs as the caller on the gateway's own
// peers, the chaincode's answer of the orgs StageTerms and WithdrawTerms
// take for this caller and round (for round 1 the seller's participant
// record's org, never a listing record's), and refuses what they would.
func (m *manager) termsParties(ctx context.Context, member string, t TermsOf) ([]string, error) {
	if m.mspID == "" {
		return nil, errNoOwnOrg
	}
	if len(t.Named) > 0 {
		return t.Named, nil
	}
	const fn = "trades:TermsOrgs"
	payload, err := m.ledger.Evaluate(ctx, member, fn, []string{t.TradeID, strconv.Itoa(t.Round), t.ListingID}, chain.WithEndorsingOrganizations(m.mspID))
	if err != nil {
		return nil, err
	}
	var o model.TermsOrgs
	if err := json.Unmarshal(payload, &o); err != nil || o.BuyerMSP == "" || o.SellerMSP == "" {
		return nil, &chain.Error{Kind: chain.KindInternal, Message: fn + " answered something other than the terms' orgs"}
	}
	return parties(o.BuyerMSP, o.SellerMSP), nil
}

// parties lists the buyer's and the seller's orgs, the org once when both
// are one.
func parties(buyerMSP, sellerMSP string) []string {
	return slices.Compact([]string{buyerMSP, sellerMSP})
}
