package routes

import "net/http"

// Serve is the code of a route the gateway answers itself: given the
// gateway's Handlers and the route, the HTTP handler that answers it. A
// route is made with it (Answered) as a method expression, e.g.
// Handlers.Health, so that a route names code the compiler checks rather
// than a name looked up at run time.
type Serve func(Handlers, GatewayRoute) http.HandlerFunc

// Handlers is the code of the routes the gateway answers itself, one method
// a route; package api implements it.
type Handlers interface {
	Health(GatewayRoute) http.HandlerFunc
	Ready(GatewayRoute) http.HandlerFunc
	Metrics(GatewayRoute) http.HandlerFunc
	OpenAPI(GatewayRoute) http.HandlerFunc
	TransactionStatus(GatewayRoute) http.HandlerFunc
	Events(GatewayRoute) http.HandlerFunc
	CreditLookup(GatewayRoute) http.HandlerFunc
	MarketStatistics(GatewayRoute) http.HandlerFunc
	PriceIndex(GatewayRoute) http.HandlerFunc
	RegisterMember(GatewayRoute) http.HandlerFunc
	EnrollMember(GatewayRoute) http.HandlerFunc
	RevokeMember(GatewayRoute) http.HandlerFunc
	ReinviteMember(GatewayRoute) http.HandlerFunc
	Catalogue(GatewayRoute) http.HandlerFunc
	Portfolio(GatewayRoute) http.HandlerFunc
	TradeHistory(GatewayRoute) http.HandlerFunc
	TradeFlows(GatewayRoute) http.HandlerFunc
	CreditLookupCounts(GatewayRoute) http.HandlerFunc
	IndexFigures(GatewayRoute) http.HandlerFunc
	IndexAttest(GatewayRoute) http.HandlerFunc
	IndexPublish(GatewayRoute) http.HandlerFunc
	IndexCSV(GatewayRoute) http.HandlerFunc
	PublishedIndices(GatewayRoute) http.HandlerFunc
	SignProposal(GatewayRoute) http.HandlerFunc
	SignTransaction(GatewayRoute) http.HandlerFunc
	SignCommit(GatewayRoute) http.HandlerFunc
}
