package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// endorsers names the orgs whose peers alone run a route's call, from the
// request's bound values: the transaction manager learns a trade's orgs
// from the ledger when the call is made, unless a member who signs its own
// calls named them (the gateway cannot read as that member).
func (s *Server) endorsers(r *http.Request, rt routes.ChaincodeRoute, values map[string]string) (transactions.Orgs, error) {
	switch rt.Endorsers {
	case routes.OwnOrg:
		return transactions.Orgs{Own: true}, nil
	case routes.TradeParties:
		// bind checked round as an integer from 1.
		round, _ := strconv.Atoi(values[routes.RoundParam])
		t := transactions.TermsOf{TradeID: values[routes.TradeIDParam], Round: round, ListingID: values[routes.ListingIDParam]}
		if round == 1 && t.ListingID == "" {
			return transactions.Orgs{}, invalidRule(routes.ListingIDParam, ledgererr.RuleRequiredToOpen)
		}
		named, err := s.namedParties(r, values[routes.EndorsingOrganizationsParam])
		if err != nil {
			return transactions.Orgs{}, err
		}
		t.Named = named
		return transactions.Orgs{Terms: &t}, nil
	}
	return transactions.Orgs{}, nil
}

// namedParties checks the buyer's and the seller's orgs a request names
// (endorsingOrganizations, its form checked by bind): only a member who
// signs its own calls names them, and must, as this gateway's org and at
// most one other, each once. The gateway reads them itself for a member
// whose key it holds.
func (s *Server) namedParties(r *http.Request, value string) ([]string, error) {
	named := routes.EndorsingOrganizations(value)
	selfSigning := caller(r).SignsItself()
	switch {
	case !selfSigning && named != nil:
		return nil, invalidRule(routes.EndorsingOrganizationsParam, ledgererr.RuleSelfSignersOnly)
	case !selfSigning || s.mspID == "":
		return nil, nil // read by the gateway; or refused for want of its org (transactions)
	case named == nil:
		return nil, invalidRule(routes.EndorsingOrganizationsParam, ledgererr.RuleNamedBySelfSigners)
	case len(named) > 2 || !slices.Contains(named, s.mspID) || (len(named) == 2 && named[0] == named[1]):
		return nil, invalidRule(routes.EndorsingOrganizationsParam, ledgererr.RuleOwnOrgAndOneOther, s.mspID)
	}
	return named, nil
}
