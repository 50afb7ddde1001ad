package api

import (
	"strconv"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/transactions"
	"github.com/deltaledger/deltaledger/model/ledgererr"
)

// endorsers names the orgs whose peers alone run a route's call, from the
// request's bound values: the transaction manager learns a trade's orgs
// from the ledger when the call is made.
func endorsers(rt routes.ChaincodeRoute, values map[string]string) (transactions.Orgs, error) {
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
		return transactions.Orgs{Terms: &t}, nil
	}
	return transactions.Orgs{}, nil
}
