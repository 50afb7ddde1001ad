package routes_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

// TestEveryChaincodeFunctionIsReachable walks the contracts as package model
// declares them (the chaincode's own tests hold the contracts to that
// declaration): every function is served by a route or run by a gateway
// operation, and every function a route names exists.
func TestEveryChaincodeFunctionIsReachable(t *testing.T) {
	served := map[string]bool{}
	for _, rt := range routes.Table() {
		switch r := rt.(type) {
		case routes.ChaincodeRoute:
			_, ok := model.LookupFunction(r.Function)
			assert.True(t, ok, "route %s runs %s, which the chaincode does not have", r.ID, r.Function)
			served[r.Function] = true
		case routes.GatewayRoute:
			for _, f := range r.Uses {
				_, ok := model.LookupFunction(f)
				assert.True(t, ok, "operation %s uses %s, which the chaincode does not have", r.ID, f)
				served[f] = true
			}
		}
	}
	for _, c := range model.Contracts() {
		for _, f := range c.Functions {
			assert.True(t, served[f.FullName()], "chaincode function %s has no route", f.FullName())
		}
	}
}

// TestRoutesTakeTheChaincodesRules checks that a route passes its function's
// parameters in order with the chaincode's limits, so that the gateway
// refuses and documents exactly what the chaincode would (an asset's name
// of up to 200 characters, a review's reason of up to 1,000).
func TestRoutesTakeTheChaincodesRules(t *testing.T) {
	for _, rt := range routes.Table() {
		r, ok := rt.(routes.ChaincodeRoute)
		if !ok {
			continue
		}
		fn, _ := model.LookupFunction(r.Function)
		var args []model.Field
		for _, p := range r.Params {
			if p.In == routes.InCursor {
				// The gateway wraps the bookmark in a cursor of its own.
				p.Description = model.BookmarkField.Description
			}
			if p.InChaincodeArgs() {
				args = append(args, p.Field)
			}
		}
		assert.Equal(t, fn.Params, args, "route %s: arguments of %s", r.ID, r.Function)
		assert.Equal(t, !fn.Evaluate, r.Submit, "route %s", r.ID)
	}
	byID := map[string]routes.Route{}
	for _, r := range routes.Table() {
		byID[r.Op().ID] = r
	}
	field := func(routeID, name string) routes.Param {
		require.Contains(t, byID, routeID)
		for _, p := range byID[routeID].Inputs() {
			if p.Name == name {
				return p
			}
		}
		require.Failf(t, "no parameter", "%s has no parameter %s", routeID, name)
		return routes.Param{}
	}
	assert.Equal(t, 200, field("applyAsset", "name").MaxLength)
	assert.Equal(t, 1000, field("reviewAsset", "reason").MaxLength)
	assert.Equal(t, 1000, field("objectToAsset", "reason").MaxLength)
	assert.Equal(t, 1000, field("revokeRight", "reason").MaxLength)
	assert.Equal(t, model.SlugPattern, field("applyAsset", "category").Pattern)
	assert.Equal(t, routes.InTransient, field("stageTradeTerms", "terms").In)
	assert.True(t, field("stageTradeTerms", "terms").Required)
	for _, id := range []string{"orderTrade", "proposeTrade", "counterTrade"} {
		assert.False(t, slices.ContainsFunc(byID[id].Inputs(), func(p routes.Param) bool { return p.Name == model.TransientTermsKey }), "%s: terms are staged first", id)
	}
	assert.Equal(t, routes.TradeParties, byID["stageTradeTerms"].(routes.ChaincodeRoute).Endorsers, "staged terms reach no third org")
	assert.Equal(t, routes.InPath, field("getTradeTerms", "round").In)
	assert.Equal(t, routes.InQuery, field("listCreditRecords", "subjectUscc").In)
}
