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
// every chaincode call is a proposal for the member to sign (the reads of
// the participant, the listing and the trade, and the staging itself, its
// proposal the call the request runs), answered once signed. It keeps the
// query of each staging request.
type stagingGateway struct {
	mu      sync.Mutex
	queries []string
	signed  []string // the functions whose proposals the member signed
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
		case p == "GET /v1/participants/me":
			propose(w, model.Participant{ID: "shanghai.e1", MSPID: "ShanghaiMSP"}, nil, "participants:WhoAmI")
		case p == "GET /v1/listings/L1":
			propose(w, model.Listing{ID: "L1", SellerMSP: "JiangsuMSP"}, nil, "listings:Get", "L1")
		case p == "GET /v1/trades/T1":
			propose(w, model.Trade{ID: "T1", BuyerMSP: "AnhuiMSP", SellerMSP: "ShanghaiMSP"}, nil, "trades:Get", "T1")
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
// gateway holds. The SDK reads the orgs with the member's own signature
// (round 1: its participant record and the listing; a later round: the
// trade) and names them in endorsingOrganizations, which the proposal of
// trades:StageTerms it signs does not carry as an argument; a custodial
// client names none and reads nothing (the gateway reads them).
// WithdrawTerms names them alike.
func TestStageTermsOfAMemberWhoSignsItselfNamesTheTwoOrgs(t *testing.T) {
	key, certPEM := selfSigned(t, "91310000MA1FL1700R")
	terms := OfferTerms{PriceFen: 70000, Conditions: "weekly", Salt: strings.Repeat("0a", 16)}
	for _, c := range []struct {
		name      string
		round     int
		listingID string
		query     string
		signed    []string
	}{
		{name: "round 1", round: 1, listingID: "L1", query: "endorsingOrganizations=ShanghaiMSP%2CJiangsuMSP",
			signed: []string{"participants:WhoAmI", "listings:Get", "trades:StageTerms"}},
		{name: "a later round", round: 2, query: "endorsingOrganizations=AnhuiMSP%2CShanghaiMSP",
			signed: []string{"trades:Get", "trades:StageTerms"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s stagingGateway
			g := newGW(t, s.handler(t, certPEM), WithSigner(certPEM, key))
			g.c.apiKey = ""
			staged, err := g.c.Trades().StageTerms(context.Background(), "T1", c.round, c.listingID, terms)
			require.NoError(t, err)
			assert.Equal(t, "T1", staged.Result.TradeID)
			assert.Equal(t, []string{c.query}, s.queries, "the two orgs, buyer's first, each once")
			assert.Equal(t, c.signed, s.signed, "the orgs read with the member's own signature, then the staging signed")
		})
	}

	// Withdrawing staged terms names the same orgs, read the same way.
	var s stagingGateway
	g := newGW(t, s.handler(t, certPEM), WithSigner(certPEM, key))
	g.c.apiKey = ""
	_, err := g.c.Trades().WithdrawTerms(context.Background(), "T1", 1, "L1")
	require.NoError(t, err)
	assert.Equal(t, []string{"endorsingOrganizations=ShanghaiMSP%2CJiangsuMSP"}, s.queries)
	assert.Equal(t, []string{"participants:WhoAmI", "listings:Get", "trades:WithdrawTerms"}, s.signed)

	var custodial stagingGateway
	g = newGW(t, custodial.handler(t, certPEM))
	_, err = g.c.Trades().StageTerms(context.Background(), "T1", 1, "L1", terms)
	require.NoError(t, err)
	assert.Equal(t, []string{""}, custodial.queries, "a client whose member's key the gateway holds names no orgs")
	assert.Len(t, g.requests(), 1, "and reads nothing first")
}
