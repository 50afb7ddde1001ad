package api

import (
	"net/http"

	"github.com/deltaledger/deltaledger/gateway/internal/routes"
	"github.com/deltaledger/deltaledger/gateway/internal/signing"
)

// handlers is the Server as routes.Handlers: the code of the routes the
// gateway answers itself, which each route carries (routes.Answered).
type handlers struct{ s *Server }

var _ routes.Handlers = handlers{}

func (h handlers) Health(routes.GatewayRoute) http.HandlerFunc  { return h.s.health }
func (h handlers) Ready(routes.GatewayRoute) http.HandlerFunc   { return h.s.readyz }
func (h handlers) OpenAPI(routes.GatewayRoute) http.HandlerFunc { return h.s.openapi }
func (h handlers) Events(routes.GatewayRoute) http.HandlerFunc  { return h.s.events }
func (h handlers) Metrics(routes.GatewayRoute) http.HandlerFunc { return h.s.metricsForAdmins() }
func (h handlers) TransactionStatus(routes.GatewayRoute) http.HandlerFunc {
	return h.s.transactionStatus
}
func (h handlers) CreditLookup(rt routes.GatewayRoute) http.HandlerFunc { return h.s.creditLookup(rt) }
func (h handlers) MarketStatistics(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.marketStatistics(rt)
}
func (h handlers) PriceIndex(rt routes.GatewayRoute) http.HandlerFunc { return h.s.priceIndex(rt) }
func (h handlers) RegisterMember(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.registerMember(rt)
}
func (h handlers) EnrollMember(rt routes.GatewayRoute) http.HandlerFunc { return h.s.enrollMember(rt) }
func (h handlers) RevokeMember(rt routes.GatewayRoute) http.HandlerFunc { return h.s.revokeMember(rt) }
func (h handlers) ReinviteMember(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.reinviteMember(rt)
}
func (h handlers) Catalogue(rt routes.GatewayRoute) http.HandlerFunc    { return h.s.catalogue(rt) }
func (h handlers) Portfolio(rt routes.GatewayRoute) http.HandlerFunc    { return h.s.portfolio(rt) }
func (h handlers) TradeHistory(rt routes.GatewayRoute) http.HandlerFunc { return h.s.tradeHistory(rt) }
func (h handlers) TradeFlows(rt routes.GatewayRoute) http.HandlerFunc   { return h.s.tradeFlows(rt) }
func (h handlers) CreditLookupCounts(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.creditLookups(rt)
}
func (h handlers) IndexFigures(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.computeIndices(rt)
}
func (h handlers) IndexAttest(rt routes.GatewayRoute) http.HandlerFunc { return h.s.attestIndices(rt) }
func (h handlers) IndexPublish(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.publishIndices(rt)
}
func (h handlers) IndexCSV(rt routes.GatewayRoute) http.HandlerFunc { return h.s.indexCSV(rt) }
func (h handlers) PublishedIndices(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.publishedIndices(rt)
}
func (h handlers) SignProposal(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.sign(signing.StepProposal)(rt)
}
func (h handlers) SignTransaction(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.sign(signing.StepTransaction)(rt)
}
func (h handlers) SignCommit(rt routes.GatewayRoute) http.HandlerFunc {
	return h.s.sign(signing.StepCommit)(rt)
}
