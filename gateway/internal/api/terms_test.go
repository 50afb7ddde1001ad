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
// buyer's and the seller's orgs and no other (one org inside one), exactly
// those trades:TermsOrgs answers, which the gateway evaluates first as the
// caller on its own peers with the staging's own arguments; it reads no
// listing or trade itself (a listing's sellerMsp names nothing here), and
// the terms go to those orgs alone.
func TestStagedTermsAreEndorsedByTheTradesTwoOrgsAlone(t *testing.T) {
	for _, c := range []struct {
		name, body string
		orgs       model.TermsOrgs
		want       []string
		args       []string
	}{
		{name: "round 1 between two orgs", body: `{"round":1,"listingId":"L1",` + termsBody + `}`,
			orgs: model.TermsOrgs{BuyerMSP: ownMSP, SellerMSP: "JiangsuMSP"}, want: []string{ownMSP, "JiangsuMSP"}, args: []string{"T1", "1", "L1"}},
		{name: "round 1 inside one org", body: `{"round":1,"listingId":"L1",` + termsBody + `}`,
			orgs: model.TermsOrgs{BuyerMSP: ownMSP, SellerMSP: ownMSP}, want: []string{ownMSP}, args: []string{"T1", "1", "L1"}},
		{name: "a later round between two orgs, the caller the seller", body: `{"round":2,` + termsBody + `}`,
			orgs: model.TermsOrgs{BuyerMSP: "AnhuiMSP", SellerMSP: ownMSP}, want: []string{"AnhuiMSP", ownMSP}, args: []string{"T1", "2", ""}},
		{name: "a later round inside one org", body: `{"round":3,"listingId":"L1",` + termsBody + `}`,
			orgs: model.TermsOrgs{BuyerMSP: ownMSP, SellerMSP: ownMSP}, want: []string{ownMSP}, args: []string{"T1", "3", "L1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, api.WithOrg(ownMSP))
			e.fake.Returns("listings:Get", model.Listing{ID: "L1", SellerMSP: "AnhuiMSP"})
			e.fake.Returns("trades:TermsOrgs", c.orgs)
			e.fake.Returns("trades:StageTerms", model.StagedTerms{TradeID: "T1", Round: 1, TermsHash: strings.Repeat("a", 64)})
			resp := e.do("alice", "POST", "/v1/trades/T1/terms", c.body)
			require.Equal(t, 201, resp.Status, "body: %s", resp.Body)

			asked := e.fake.CallsTo("trades:TermsOrgs")
			require.Len(t, asked, 1)
			assert.False(t, asked[0].Submit)
			assert.Equal(t, "alice", asked[0].Member, "asked as the caller")
			assert.Equal(t, c.args, asked[0].Args, "the staging's own arguments")
			assert.Equal(t, []string{ownMSP}, asked[0].Options.EndorsingOrganizations, "asked on the gateway's own peers")
			assert.Empty(t, asked[0].Options.Transient, "the question carries no terms")
			assert.Empty(t, e.fake.CallsTo("listings:Get"), "no listing read")
			assert.Empty(t, e.fake.CallsTo("trades:Get"), "no trade read")

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

// TestASelfSigningMemberStagesTermsEndorsedByTheOrgsItNames: the gateway
// cannot read the listing or the trade as a member whose key it does not
// hold, so that member names the buyer's and the seller's orgs
// (endorsingOrganizations): nothing is read, and the proposal it signs is
// endorsed by exactly the named orgs, which alone receive the terms.
func TestASelfSigningMemberStagesTermsEndorsedByTheOrgsItNames(t *testing.T) {
	for _, c := range []struct {
		name, query, body string
		want, args        []string
	}{
		{name: "round 1 between two orgs", query: "JiangsuMSP," + ownMSP, body: `{"round":1,"listingId":"L1",` + termsBody + `}`,
			want: []string{"JiangsuMSP", ownMSP}, args: []string{"T1", "1", "L1"}},
		{name: "a later round inside one org", query: ownMSP, body: `{"round":2,` + termsBody + `}`,
			want: []string{ownMSP}, args: []string{"T1", "2", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, api.WithOrg(ownMSP))
			e.fake.Returns("trades:StageTerms", model.StagedTerms{TradeID: "T1", Round: 1, TermsHash: strings.Repeat("a", 64)})
			s := step(t, e.do("", "POST", "/v1/trades/T1/terms?endorsingOrganizations="+c.query, c.body, clientCert(e.stray)))
			assert.Equal(t, "proposal", s.Step)
			assert.Empty(t, e.fake.Calls(), "nothing is read as the member, nor run before it signs")

			s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
			assert.Equal(t, "transaction", s.Step)
			require.Len(t, e.fake.Calls(), 1, "the staging alone: no listing or trade read")
			staged := e.fake.CallsTo("trades:StageTerms")
			require.Len(t, staged, 1)
			assert.Equal(t, c.args, staged[0].Args)
			assert.Equal(t, c.want, staged[0].Options.EndorsingOrganizations, "exactly the orgs named")
			assert.Contains(t, string(staged[0].Options.Transient[model.TransientTermsKey]), `"conditions":"weekly"`)
		})
	}
}

// TestNamedEndorsingOrgsAreCheckedBeforeAnyProposal: the orgs a member
// who signs its own calls names are this gateway's org and at most one
// other, each once, and well formed; it must name them, and a member whose
// key the gateway holds may not (the gateway reads them). Otherwise a 400
// names endorsingOrganizations and the rule, and no proposal is made.
func TestNamedEndorsingOrgsAreCheckedBeforeAnyProposal(t *testing.T) {
	const body = `{"round":1,"listingId":"L1",` + termsBody + `}`
	for _, c := range []struct {
		name, query, rule string
		custodial         bool
	}{
		{name: "none named", query: "", rule: "is required of a member who signs its own calls"},
		{name: "named empty", query: "?endorsingOrganizations=", rule: "is required of a member who signs its own calls"},
		{name: "without the gateway's org", query: "?endorsingOrganizations=JiangsuMSP,AnhuiMSP", rule: "must name this gateway's org (" + ownMSP + ") and at most one other"},
		{name: "another org alone", query: "?endorsingOrganizations=JiangsuMSP", rule: "must name this gateway's org"},
		{name: "three orgs", query: "?endorsingOrganizations=" + ownMSP + ",JiangsuMSP,AnhuiMSP", rule: "at most one other"},
		{name: "the gateway's org twice", query: "?endorsingOrganizations=" + ownMSP + "," + ownMSP, rule: "each once"},
		{name: "malformed: a space", query: "?endorsingOrganizations=Shanghai%20MSP", rule: "must match"},
		{name: "malformed: an empty item", query: "?endorsingOrganizations=" + ownMSP + ",,JiangsuMSP", rule: "must match"},
		{name: "from a member whose key the gateway holds", query: "?endorsingOrganizations=" + ownMSP + ",JiangsuMSP", custodial: true,
			rule: "is for members who sign their own calls"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, api.WithOrg(ownMSP))
			e.fake.Returns("trades:TermsOrgs", model.TermsOrgs{BuyerMSP: ownMSP, SellerMSP: "JiangsuMSP"})
			var resp response
			if c.custodial {
				resp = e.do("alice", "POST", "/v1/trades/T1/terms"+c.query, body)
			} else {
				resp = e.do("", "POST", "/v1/trades/T1/terms"+c.query, body, clientCert(e.stray))
			}
			require.Equal(t, 400, resp.Status, "body: %s", resp.Body)
			eb := resp.errorBody(t)
			assert.Equal(t, "endorsingOrganizations", eb.Field)
			assert.Contains(t, eb.Message, c.rule)
			assert.Empty(t, e.fake.Calls(), "nothing read, proposed or submitted")
			assert.Empty(t, e.fake.SignedSteps())
		})
	}
}

// TestWithdrawnTermsAreEndorsedLikeTheirStaging: POST
// /v1/trades/{tradeId}/terms/withdraw submits trades:WithdrawTerms endorsed
// by the buyer's and the seller's orgs alone, learnt as for the staging
// (trades:TermsOrgs with the withdrawal's arguments; round 1 needs its
// listing) or named by a member who signs its own calls; it carries no
// terms.
func TestWithdrawnTermsAreEndorsedLikeTheirStaging(t *testing.T) {
	withdrawn := model.StagedTerms{TradeID: "T1", Round: 1, TermsHash: strings.Repeat("a", 64)}
	for _, c := range []struct {
		name, body string
		orgs       model.TermsOrgs
		want, args []string
	}{
		{name: "round 1", body: `{"round":1,"listingId":"L1"}`, orgs: model.TermsOrgs{BuyerMSP: ownMSP, SellerMSP: "JiangsuMSP"},
			want: []string{ownMSP, "JiangsuMSP"}, args: []string{"T1", "1", "L1"}},
		{name: "a later round", body: `{"round":2}`, orgs: model.TermsOrgs{BuyerMSP: "AnhuiMSP", SellerMSP: ownMSP},
			want: []string{"AnhuiMSP", ownMSP}, args: []string{"T1", "2", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, api.WithOrg(ownMSP))
			e.fake.Returns("trades:TermsOrgs", c.orgs)
			e.fake.Returns("trades:WithdrawTerms", withdrawn)
			resp := e.do("alice", "POST", "/v1/trades/T1/terms/withdraw", c.body)
			require.Equal(t, 200, resp.Status, "body: %s", resp.Body)
			calls := e.fake.CallsTo("trades:WithdrawTerms")
			require.Len(t, calls, 1)
			assert.True(t, calls[0].Submit)
			assert.Equal(t, c.args, calls[0].Args)
			assert.Equal(t, c.args, e.fake.CallsTo("trades:TermsOrgs")[0].Args, "the orgs asked with the withdrawal's arguments")
			assert.Equal(t, c.want, calls[0].Options.EndorsingOrganizations, "the buyer's and the seller's orgs, and no third")
			assert.Empty(t, calls[0].Options.Transient)
		})
	}

	e := newEnv(t, api.WithOrg(ownMSP))
	resp := e.do("alice", "POST", "/v1/trades/T1/terms/withdraw", `{"round":1}`)
	require.Equal(t, 400, resp.Status, "body: %s", resp.Body)
	assert.Equal(t, "listingId", resp.errorBody(t).Field)
	resp = e.do("alice", "POST", "/v1/trades/T1/terms/withdraw", `{"round":2,`+termsBody+`}`)
	require.Equal(t, 400, resp.Status, "no terms: %s", resp.Body)
	assert.Empty(t, e.fake.Calls())

	e.fake.Returns("trades:WithdrawTerms", withdrawn)
	s := step(t, e.do("", "POST", "/v1/trades/T1/terms/withdraw?endorsingOrganizations=JiangsuMSP,"+ownMSP, `{"round":1,"listingId":"L1"}`, clientCert(e.stray)))
	s = step(t, e.sign(e.stray, s, signWith(t, e.stray.Key, digestOf(t, s))))
	assert.Equal(t, "transaction", s.Step)
	require.Len(t, e.fake.Calls(), 1, "nothing read as the member")
	assert.Equal(t, []string{"JiangsuMSP", ownMSP}, e.fake.CallsTo("trades:WithdrawTerms")[0].Options.EndorsingOrganizations)
}
