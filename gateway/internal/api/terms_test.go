package api_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/api"
	"github.com/deltaledger/deltaledger/model"
)

// termsBody is an offer's private terms as a body field.
const termsBody = `"terms":{"priceFen":70000,"conditions":"weekly","salt":"` + "0123456789abcdef0123456789abcdef" + `"}`

// TestStagedTermsAreEndorsedByTheTradesTwoOrgsAlone: POST
// /v1/trades/{tradeId}/terms submits trades:StageTerms endorsed by the
// buyer's and the seller's orgs and no other (one org inside one), learnt
// from the listing for round 1 and from the trade after it, each read on
// the gateway's own peers; the terms go to those orgs alone.
func TestStagedTermsAreEndorsedByTheTradesTwoOrgsAlone(t *testing.T) {
	for _, c := range []struct {
		name, body, read string
		listing          model.Listing
		trade            model.Trade
		want             []string
		args             []string
	}{
		{name: "round 1 between two orgs", body: `{"round":1,"listingId":"L1",` + termsBody + `}`, read: "listings:Get",
			listing: model.Listing{ID: "L1", SellerMSP: "JiangsuMSP"}, want: []string{ownMSP, "JiangsuMSP"}, args: []string{"T1", "1", "L1"}},
		{name: "round 1 inside one org", body: `{"round":1,"listingId":"L1",` + termsBody + `}`, read: "listings:Get",
			listing: model.Listing{ID: "L1", SellerMSP: ownMSP}, want: []string{ownMSP}, args: []string{"T1", "1", "L1"}},
		{name: "a later round between two orgs, the caller the seller", body: `{"round":2,` + termsBody + `}`, read: "trades:Get",
			trade: model.Trade{ID: "T1", BuyerMSP: "AnhuiMSP", SellerMSP: ownMSP}, want: []string{"AnhuiMSP", ownMSP}, args: []string{"T1", "2", ""}},
		{name: "a later round inside one org", body: `{"round":3,"listingId":"L1",` + termsBody + `}`, read: "trades:Get",
			trade: model.Trade{ID: "T1", BuyerMSP: ownMSP, SellerMSP: ownMSP}, want: []string{ownMSP}, args: []string{"T1", "3", "L1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, api.WithOrg(ownMSP))
			e.fake.Returns("listings:Get", c.listing)
			e.fake.Returns("trades:Get", c.trade)
			e.fake.Returns("trades:StageTerms", model.StagedTerms{TradeID: "T1", Round: 1, TermsHash: strings.Repeat("a", 64)})
			resp := e.do("alice", "POST", "/v1/trades/T1/terms", c.body)
			require.Equal(t, 201, resp.Status, "body: %s", resp.Body)

			read := e.fake.CallsTo(c.read)
			require.Len(t, read, 1)
			assert.False(t, read[0].Submit)
			assert.Equal(t, []string{ownMSP}, read[0].Options.EndorsingOrganizations, "read on the gateway's own peers")
			assert.Empty(t, read[0].Options.Transient, "the read carries no terms")

			staged := e.fake.CallsTo("trades:StageTerms")
			require.Len(t, staged, 1)
			assert.True(t, staged[0].Submit)
			assert.Equal(t, c.args, staged[0].Args)
			assert.Equal(t, c.want, staged[0].Options.EndorsingOrganizations, "the buyer's and the seller's orgs, each once, and no third")
			assert.Contains(t, string(staged[0].Options.Transient[model.TransientTermsKey]), `"conditions":"weekly"`)
			for _, call := range e.fake.Calls() {
				if len(call.Options.Transient) > 0 {
					assert.Equal(t, c.want, call.Options.EndorsingOrganizations, "%s: terms go to the two orgs alone", call.Function)
				}
			}
		})
	}
}

// TestRoundOneOfStagedTermsNeedsItsListing: round 1 opens the trade, whose
// listing names the seller's org: without listingId nothing is read or
// submitted.
func TestRoundOneOfStagedTermsNeedsItsListing(t *testing.T) {
	e := newEnv(t, api.WithOrg(ownMSP))
	resp := e.do("alice", "POST", "/v1/trades/T1/terms", `{"round":1,`+termsBody+`}`)
	require.Equal(t, 400, resp.Status, "body: %s", resp.Body)
	m := resp.json(t)
	assert.Equal(t, "listingId", m["field"])
	assert.Contains(t, m["message"], "round 1")
	assert.Empty(t, e.fake.Calls())
}

// TestTermsWithAPublicStepAreRefusedBeforeAnythingIsSubmitted: an order, a
// proposal or a counter-offer with terms in its body is a 400 naming the
// field and saying to stage them first, and nothing is evaluated or
// submitted: the terms reach no peer with a public step, which orgs other
// than the two parties' endorse.
func TestTermsWithAPublicStepAreRefusedBeforeAnythingIsSubmitted(t *testing.T) {
	e := newEnv(t, api.WithOrg(ownMSP))
	for _, c := range []struct{ path, body string }{
		{"/v1/trades", `{"tradeId":"T1","listingId":"L1",` + termsBody + `}`},
		{"/v1/trades/proposals", `{"tradeId":"T1","listingId":"L1",` + termsBody + `}`},
		{"/v1/trades/T1/counter", `{` + termsBody + `}`},
	} {
		resp := e.do("alice", "POST", c.path, c.body)
		require.Equal(t, 400, resp.Status, "%s: %s", c.path, resp.Body)
		m := resp.json(t)
		assert.Equal(t, model.TransientTermsKey, m["field"], c.path)
		assert.Contains(t, m["message"], "stage the terms first", c.path)
	}
	assert.Empty(t, e.fake.Calls(), "nothing reached the ledger")

	// Without terms the public steps go through.
	e.fake.Returns("trades:Propose", model.Trade{ID: "T1"})
	require.Equal(t, 201, e.do("alice", "POST", "/v1/trades/proposals", `{"tradeId":"T1","listingId":"L1"}`).Status)
	assert.Empty(t, e.fake.CallsTo("trades:Propose")[0].Options.Transient)
}
