package client

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/calls"
	"github.com/deltaledger/deltaledger/model"
)

// stagingGateway is a fake gateway for a member who signs its own calls:
// every chaincode call is a proposal for the member to sign (the question
// of the orgs, and the staging itself, its proposal the call the request
// runs), answered once signed. It keeps the query of each staging request
// and the arguments each trades:TermsOrgs was asked with; the orgs it
// answers are none a listing or a trade record names.
type stagingGateway struct {
	mu      sync.Mutex
	queries []string
	signed  []string   // the functions whose proposals the member signed
	asked   [][]string // the arguments of each trades:TermsOrgs
}

func (s *stagingGateway) handler(t *testing.T, certPEM []byte) func(http.ResponseWriter, *http.Request, []byte) {
	answers := map[string]any{} // by transaction ID
	functions := map[string]string{}
	n := 0
	propose := func(w http.ResponseWriter, answer any, transient map[string][]byte, args ...string) {
		n++
		txID := strings.Repeat(string(rune('a'+n)), 2) + offlineTx[2:]
		answers[txID], functions[txID] = answer, args[0]
		msg, proposal := chaincodeProposalOf(t, certPEM, txID, "deltaledger", transient, args...)
		reply(w, http.StatusAccepted, stepOf("proposal", txID, msg, proposal))
	}
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch p := r.Method + " " + r.URL.Path; {
		case strings.HasPrefix(r.URL.Path, "/v1/signing/"):
			txID := strings.Split(r.URL.Path, "/")[3]
			s.signed = append(s.signed, functions[txID])
			status := http.StatusOK
			if functions[txID] == "trades:StageTerms" {
				status = http.StatusCreated
			}
			reply(w, status, answers[txID])
		case p == "GET /v1/trades/T1/terms/1/orgs" || p == "GET /v1/trades/T1/terms/2/orgs":
			call, err := calls.Of(r.Method, r.URL.Path, r.URL.RawQuery, body)
			require.NoError(t, err)
			require.Equal(t, "trades:TermsOrgs", call.Function)
			s.asked = append(s.asked, call.Args)
			orgs := model.TermsOrgs{BuyerMSP: "ShanghaiMSP", SellerMSP: "JiangsuMSP"}
			if call.Args[1] != "1" {
				orgs = model.TermsOrgs{BuyerMSP: "AnhuiMSP", SellerMSP: "ShanghaiMSP"}
			}
			propose(w, orgs, nil, append([]string{call.Function}, call.Args...)...)
		case p == "POST /v1/trades/T1/terms" || p == "POST /v1/trades/T1/terms/withdraw":
			s.queries = append(s.queries, r.URL.RawQuery)
			call, err := calls.Of(r.Method, r.URL.Path, r.URL.RawQuery, body)
			require.NoError(t, err)
			require.Contains(t, []string{"trades:StageTerms", "trades:WithdrawTerms"}, call.Function)
			assert.Len(t, call.Args, 3, "tradeId, round, listingId: endorsingOrganizations is for the gateway, no argument")
			propose(w, map[string]any{"transaction_id": offlineTx, "block_number": 7, "result": model.StagedTerms{TradeID: "T1", Round: 1}},
				call.Transient, append([]string{call.Function}, call.Args...)...)
		default:
			t.Errorf("unexpected %s", p)
			reply(w, http.StatusNotFound, map[string]string{"code": "NOT_FOUND", "message": p})
		}
	}
}

// TestStageTermsOfAMemberWhoSignsItselfNamesTheTwoOrgs: a member who signs
// its own calls stages terms with the same call as one whose key the
// gateway holds. The SDK asks the chaincode for the orgs once, with the
// member's own signature (trades:TermsOrgs, with the staging's arguments),
// and names exactly its answer in endorsingOrganizations, which the
// proposal of trades:StageTerms it signs does not carry as an argument; it
// reads no participant, listing or trade; a custodial client names none and
// asks nothing (the gateway asks). WithdrawTerms names them alike.
func TestStageTermsOfAMemberWhoSignsItselfNamesTheTwoOrgs(t *testing.T) {
	key, certPEM := selfSigned(t, "91310000MA1FL1700R")
	terms := OfferTerms{PriceFen: 70000, Conditions: "weekly", Salt: strings.Repeat("0a", 16)}
	for _, c := range []struct {
		name      string
		round     int
		listingID string
		query     string
		asked     []string
	}{
		{name: "round 1", round: 1, listingID: "L1", query: "endorsingOrganizations=ShanghaiMSP%2CJiangsuMSP", asked: []string{"T1", "1", "L1"}},
		{name: "a later round", round: 2, query: "endorsingOrganizations=AnhuiMSP%2CShanghaiMSP", asked: []string{"T1", "2", ""}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s stagingGateway
			g := newGW(t, s.handler(t, certPEM), WithSigner(certPEM, key))
			g.c.apiKey = ""
			staged, err := g.c.Trades().StageTerms(context.Background(), "T1", c.round, c.listingID, terms)
			require.NoError(t, err)
			assert.Equal(t, "T1", staged.Result.TradeID)
			assert.Equal(t, []string{c.query}, s.queries, "the two orgs TermsOrgs answered, buyer's first, each once")
			assert.Equal(t, []string{"trades:TermsOrgs", "trades:StageTerms"}, s.signed, "one question signed by the member, then the staging")
			assert.Equal(t, [][]string{c.asked}, s.asked, "asked with the staging's own arguments")
		})
	}

	// Withdrawing staged terms names the same orgs, asked the same way.
	var s stagingGateway
	g := newGW(t, s.handler(t, certPEM), WithSigner(certPEM, key))
	g.c.apiKey = ""
	_, err := g.c.Trades().WithdrawTerms(context.Background(), "T1", 1, "L1")
	require.NoError(t, err)
	assert.Equal(t, []string{"endorsingOrganizations=ShanghaiMSP%2CJiangsuMSP"}, s.queries)
	assert.Equal(t, []string{"trades:TermsOrgs", "trades:WithdrawTerms"}, s.signed)

	var custodial stagingGateway
	g = newGW(t, custodial.handler(t, certPEM))
	_, err = g.c.Trades().StageTerms(context.Background(), "T1", 1, "L1", terms)
	require.NoError(t, err)
	assert.Equal(t, []string{""}, custodial.queries, "a client whose member's key the gateway holds names no orgs")
	assert.Len(t, g.requests(), 1, "and asks nothing first")
}
