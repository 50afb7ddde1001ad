package routes_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/model"
)

// TestCheckKeepsPublicRoutesToWhatTheDocumentDerives: the OpenAPI document
// derives a public route's error answers from its inputs, its method and the
// Errors its code declares (package openapi), so Check refuses a public route
// that reads the ledger or its index or commits, whose answers those do not
// cover, Errors on a route with credentials (which documents every error
// status) and a status in Errors that is no error.
func TestCheckKeepsPublicRoutesToWhatTheDocumentDerives(t *testing.T) {
	public := func(change func(*routes.GatewayRoute)) []routes.Route {
		r := routes.GatewayRoute{Operation: routes.Operation{ID: "x", Method: "GET", Path: "/x"}, Public: true,
			Errors: map[int]string{http.StatusNotFound: "none here"}}
		change(&r)
		return []routes.Route{routes.Answered(routes.Handlers.Health, r)}
	}
	require.NoError(t, routes.Check(public(func(*routes.GatewayRoute) {})), "a public route declaring its own errors")
	require.NoError(t, routes.Check(routes.Table()))
	minBlock := routes.Param{Field: model.Field{Name: "minBlock", Type: model.TypeInteger, Optional: true}, In: routes.InQuery}
	for name, change := range map[string]func(*routes.GatewayRoute){
		"reads the ledger":              func(r *routes.GatewayRoute) { r.ReadsLedger = true },
		"commits":                       func(r *routes.GatewayRoute) { r.Commits = true },
		"recomputes from the index":     func(r *routes.GatewayRoute) { r.Recomputes = true },
		"reads the index":               func(r *routes.GatewayRoute) { r.Query = []routes.Param{minBlock} },
		"Errors with credentials":       func(r *routes.GatewayRoute) { r.Public = false },
		"a success status among Errors": func(r *routes.GatewayRoute) { r.Errors[http.StatusOK] = "fine" },
	} {
		assert.Error(t, routes.Check(public(change)), name)
	}
}
