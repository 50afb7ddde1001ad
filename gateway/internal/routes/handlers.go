package routes

import "net/http"

// Serve is the code of a route the gateway answers itself: given the
// gateway's Handlers and the route, the HTTP handler that answers it. A
// route declares it as a method expression, e.g. Handlers.Health, so that a
// route names code the compiler checks rather than a name looked up at run
// time.
type Serve func(Handlers, Route) http.HandlerFunc

// Handlers is the code of the routes the gateway answers itself, one method
// a route; package api implements it.
type Handlers interface {
	Health(Route) http.HandlerFunc
	Ready(Route) http.HandlerFunc
	Metrics(Route) http.HandlerFunc
	OpenAPI(Route) http.HandlerFunc
	TransactionStatus(Route) http.HandlerFunc
	Events(Route) http.HandlerFunc
	CreditLookup(Route) http.HandlerFunc
	MarketStatistics(Route) http.HandlerFunc
	PriceIndex(Route) http.HandlerFunc
	RegisterMember(Route) http.HandlerFunc
	EnrollMember(Route) http.HandlerFunc
	RevokeMember(Route) http.HandlerFunc
	ReinviteMember(Route) http.HandlerFunc
	Catalogue(Route) http.HandlerFunc
	Portfolio(Route) http.HandlerFunc
	TradeHistory(Route) http.HandlerFunc
	TradeFlows(Route) http.HandlerFunc
	CreditLookupCounts(Route) http.HandlerFunc
	IndexFigures(Route) http.HandlerFunc
	IndexAttest(Route) http.HandlerFunc
	IndexPublish(Route) http.HandlerFunc
	IndexCSV(Route) http.HandlerFunc
	SignProposal(Route) http.HandlerFunc
	SignTransaction(Route) http.HandlerFunc
	SignCommit(Route) http.HandlerFunc
}
